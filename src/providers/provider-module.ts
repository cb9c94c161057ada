import type { ProviderFactory } from "./contract.js";

/** What a bank's folder exports: who it is and how to build its adapter. */
export interface ProviderModule {
  /** Stable institution ID, used in global IDs, webhooks URLs and config keys (snake_case). */
  id: string;
  /** Display name. */
  name: string;
  create: ProviderFactory;
}
