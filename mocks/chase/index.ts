/**
 * Mock JPMorgan Chase: an FDX v6 data-sharing API (camelCase, `{ depositAccount }` /
 * `{ locAccount }` wrappers, dollar amounts as JSON numbers, Eastern-time timestamps, offset
 * paging). The wire contract is mocks/chase/openapi.yaml.
 */
import type { MockBankDefinition } from "../bank.js";
import { chaseAuthorization, chaseLook, chaseRefusal } from "./authorization.js";
import { chaseEvents } from "./events.js";
import { mountAccountRoutes } from "./routes.js";
import { mountConsentRevocation } from "./consent-revocation.js";
import { mountPaymentRoutes } from "./payments.js";
import { mountTransactionRoutes } from "./transactions.js";

const LISTS_SUPERSEDED_PENDING = false;

export const chase: MockBankDefinition = {
  id: "chase",
  name: "JPMorgan Chase",
  products: [
    { kind: "checking", name: "Chase Total Checking" },
    { kind: "savings", name: "Chase Savings" },
    { kind: "credit_card", name: "Chase Sapphire Preferred" },
  ],
  authorization: chaseAuthorization,
  look: chaseLook,
  refusal: chaseRefusal,
  receipts: false,
  events: chaseEvents,
  listsSupersededPending: LISTS_SUPERSEDED_PENDING,
  mount(router, bank) {
    mountAccountRoutes(router, bank);
    mountConsentRevocation(router, bank);
    mountPaymentRoutes(router, bank);
    mountTransactionRoutes(router, bank, { listsSupersededPending: LISTS_SUPERSEDED_PENDING });
  },
};
