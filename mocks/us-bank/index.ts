import type { MockBankDefinition } from "../bank.js";

// STUB: replaced by the bank's real mock.
export const usBank: MockBankDefinition = {
  id: "us_bank",
  name: "U.S. Bancorp",
  products: [{ kind: "checking", name: "Checking" }],
  receipts: false,
  listsSupersededPending: false,
  mount() {},
};
