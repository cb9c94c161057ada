/**
 * Mock Wells Fargo: snake_case JSON with HAL `_links`, signed integer cents, epoch-millisecond
 * times, full account numbers, and link-following pagination with opaque page tokens. The wire
 * contract is mocks/wells-fargo/openapi.yaml.
 */
import type { MockBankDefinition } from "../bank.js";
import { wellsFargoAuthorization, wellsFargoLook, wellsFargoRefusal } from "./authorization.js";
import { wellsFargoEvents } from "./events.js";
import { mountAccountRoutes } from "./routes.js";
import { mountTransactionRoutes } from "./transactions.js";

const LISTS_SUPERSEDED_PENDING = false;

export const wellsFargo: MockBankDefinition = {
  id: "wells_fargo",
  name: "Wells Fargo",
  products: [
    { kind: "checking", name: "Everyday Checking" },
    { kind: "savings", name: "Way2Save Savings" },
  ],
  authorization: wellsFargoAuthorization,
  look: wellsFargoLook,
  refusal: wellsFargoRefusal,
  receipts: false,
  events: wellsFargoEvents,
  listsSupersededPending: LISTS_SUPERSEDED_PENDING,
  mount(router, bank) {
    mountAccountRoutes(router, bank);
    mountTransactionRoutes(router, bank, { listsSupersededPending: LISTS_SUPERSEDED_PENDING });
  },
};
