import type { MockBankDefinition } from "../bank.js";

// STUB: replaced by the bank's real mock.
export const paypal: MockBankDefinition = {
  id: "paypal",
  name: "PayPal",
  products: [{ kind: "checking", name: "Checking" }],
  receipts: false,
  listsSupersededPending: false,
  mount() {},
};
