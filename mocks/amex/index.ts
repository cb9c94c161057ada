import type { MockBankDefinition } from "../bank.js";

// STUB: replaced by the bank's real mock.
export const amex: MockBankDefinition = {
  id: "amex",
  name: "American Express",
  products: [{ kind: "checking", name: "Checking" }],
  receipts: false,
  listsSupersededPending: false,
  mount() {},
};
