import type { ProviderModule } from "../provider-module.js";

// STUB: replaced by the bank's real adapter.
export const chase: ProviderModule = {
  id: "chase",
  name: "JPMorgan Chase",
  create: () => {
    throw new Error("not implemented");
  },
};
