import type { MockBankDefinition } from "../bank.js";

// STUB: replaced by the bank's real mock.
export const chase: MockBankDefinition = {
  id: "chase",
  name: "JPMorgan Chase",
  products: [{ kind: "checking", name: "Checking" }],
  receipts: false,
  listsSupersededPending: false,
  mount() {},
};
