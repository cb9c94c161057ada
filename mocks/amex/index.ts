/**
 * Mock American Express: "Amex for Developers" style. JSON token provisioning, POST batch
 * endpoints keyed by `account_token`, unsigned cent amounts with DEBIT/CREDIT, `YYYYMMDD`
 * dates, keyset paging by opaque `next_token`. Described by `openapi.yaml` next to this file.
 */
import type { MockBankDefinition } from "../bank.js";
import { amexAuthorization, amexLook, amexRefusal } from "./authorization.js";
import { amexEvents } from "./events.js";
import { mountAmexRoutes } from "./routes.js";
import { mountTransactions } from "./transactions.js";

/** The Amex mock bank: a Platinum charge card and a Blue Cash Preferred credit card. */
export const amex: MockBankDefinition = {
  id: "amex",
  name: "American Express",
  products: [
    { kind: "charge_card", name: "Platinum Card" },
    { kind: "credit_card", name: "Blue Cash Preferred" },
  ],
  authorization: amexAuthorization,
  look: amexLook,
  refusal: amexRefusal,
  receipts: true,
  events: amexEvents,
  listsSupersededPending: false,
  mount(router, bank) {
    mountAmexRoutes(router, bank);
    mountTransactions(router, bank, amex.listsSupersededPending);
  },
};
