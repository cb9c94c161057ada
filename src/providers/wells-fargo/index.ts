import type { ProviderModule } from "../provider-module.js";

// STUB: replaced by the bank's real adapter.
export const wellsFargo: ProviderModule = {
  id: "wells_fargo",
  name: "Wells Fargo",
  create: () => {
    throw new Error("not implemented");
  },
};
