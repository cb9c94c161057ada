/**
 * Mock U.S. Bank: a U.S. Bank API style service (`/v3`, PascalCase keys, `ResponseData` +
 * `Status` envelopes, unsigned amounts with a debit/credit indicator, page-number paging).
 * Contract: openapi.yaml.
 */
import type { MockBankDefinition } from "../bank.js";
import { usBankAuthorization, usBankLook, usBankRefusal } from "./authorization.js";
import { usBankEvents } from "./events.js";
import { mountUsBankApi } from "./routes.js";

/** U.S. Bank keeps the memo-posted row of a posted purchase, linked by `MemoPostedReference`. */
const listsSupersededPending = true;

/** The U.S. Bank mock bank: checking, savings and a credit card per customer, no receipts. */
export const usBank: MockBankDefinition = {
  id: "us_bank",
  name: "U.S. Bancorp",
  products: [
    { kind: "checking", name: "Smartly Checking" },
    { kind: "savings", name: "Standard Savings" },
    { kind: "credit_card", name: "Altitude Go Visa" },
  ],
  authorization: usBankAuthorization,
  look: usBankLook,
  refusal: usBankRefusal,
  receipts: false,
  events: usBankEvents,
  listsSupersededPending,
  mount: (router, bank) => mountUsBankApi(router, bank, { listsSupersededPending }),
};
