import type { ProviderModule } from "../provider-module.js";

// STUB: replaced by the bank's real adapter.
export const amex: ProviderModule = {
  id: "amex",
  name: "American Express",
  create: () => {
    throw new Error("not implemented");
  },
};
