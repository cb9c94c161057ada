import type { ProviderModule } from "../provider-module.js";

// STUB: replaced by the bank's real adapter.
export const citi: ProviderModule = {
  id: "citi",
  name: "Citi",
  create: () => {
    throw new Error("not implemented");
  },
};
