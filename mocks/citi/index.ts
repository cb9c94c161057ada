/**
 * Mock Citi: a Citi Developer Hub style API (`/api/v1`, `{ data, meta }` envelopes, signed
 * decimal-string amounts, YYYYMMDD dates, opaque per-account cursors). Contract: openapi.yaml.
 */
import type { MockBankDefinition } from "../bank.js";
import { citiAuthorization, citiLook, citiRefusal } from "./authorization.js";
import { citiEvents } from "./events.js";
import { mountAccountAccessConsents } from "./account-access-consents.js";
import { mountCitiApi } from "./routes.js";

/** Citi keeps the authorization of a posted purchase in its listings, linked by `authorizationId`. */
const listsSupersededPending = true;

/** The Citi mock bank: checking plus a credit card per customer, no receipts. */
export const citi: MockBankDefinition = {
  id: "citi",
  name: "Citi",
  products: [
    { kind: "checking", name: "Citi Priority Checking" },
    { kind: "credit_card", name: "Citi Double Cash" },
  ],
  authorization: citiAuthorization,
  look: citiLook,
  refusal: citiRefusal,
  receipts: false,
  events: citiEvents,
  listsSupersededPending,
  mount: (router, bank) => {
    mountAccountAccessConsents(router, bank);
    mountCitiApi(router, bank, { listsSupersededPending });
  },
};
