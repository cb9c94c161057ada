import type { MockBankDefinition } from "../bank.js";

// STUB: replaced by the bank's real mock.
export const citi: MockBankDefinition = {
  id: "citi",
  name: "Citi",
  products: [{ kind: "checking", name: "Checking" }],
  receipts: false,
  listsSupersededPending: false,
  mount() {},
};
