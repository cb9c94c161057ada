import type { MockBankDefinition } from "../bank.js";

// STUB: replaced by the bank's real mock.
export const wellsFargo: MockBankDefinition = {
  id: "wells_fargo",
  name: "Wells Fargo",
  products: [{ kind: "checking", name: "Checking" }],
  receipts: false,
  listsSupersededPending: false,
  mount() {},
};
