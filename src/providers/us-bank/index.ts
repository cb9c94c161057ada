import type { ProviderModule } from "../provider-module.js";

// STUB: replaced by the bank's real adapter.
export const usBank: ProviderModule = {
  id: "us_bank",
  name: "U.S. Bancorp",
  create: () => {
    throw new Error("not implemented");
  },
};
