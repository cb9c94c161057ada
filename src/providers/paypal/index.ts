import type { ProviderModule } from "../provider-module.js";

// STUB: replaced by the bank's real adapter.
export const paypal: ProviderModule = {
  id: "paypal",
  name: "PayPal",
  create: () => {
    throw new Error("not implemented");
  },
};
