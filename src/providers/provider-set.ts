/**
 * The running adapters: one per registered bank, each with its HTTP client bound to the bank's
 * URL. Built once at start-up from the registry and the configured URLs.
 */
import type { BankAuthorizationFormat } from "./authorization-format.js";
import { createBankHttp, type BankCallOutcome, type BankHttp } from "./bank-http.js";
import type { BankCallPolicies } from "./call-policy.js";
import type { BankProvider } from "./contract.js";
import type { ProviderModule } from "./provider-module.js";
import { PROVIDER_MODULES } from "./registry.js";

export interface ProviderSetOptions {
  /** Institution ID → the bank's base URL. Banks without a URL are left out. */
  urls: Record<string, string>;
  timeoutMs?: number;
  onOutcome?: (outcome: BankCallOutcome) => void;
  /** Each bank's retry, breaker and bulkhead. Default: none (one attempt per call). */
  policies?: BankCallPolicies;
  modules?: readonly ProviderModule[];
}

export interface ProviderSet {
  /** Registered institutions in registry order. */
  institutions: ReadonlyArray<{ id: string; name: string }>;
  get(institutionId: string): BankProvider | undefined;
  /** The bank's base URL (also its OAuth issuer), HTTP client and authorization format; undefined when not configured. */
  bank(institutionId: string): { url: string; http: BankHttp; authorization: BankAuthorizationFormat } | undefined;
}

export function createProviderSet(options: ProviderSetOptions): ProviderSet {
  const providers = new Map<string, BankProvider>();
  const banks = new Map<string, { url: string; http: BankHttp; authorization: BankAuthorizationFormat }>();
  const modules = (options.modules ?? PROVIDER_MODULES).filter((m) => options.urls[m.id]);
  for (const module of modules) {
    const http = createBankHttp({
      institutionId: module.id,
      institutionName: module.name,
      baseUrl: options.urls[module.id]!,
      timeoutMs: options.timeoutMs,
      onOutcome: options.onOutcome,
      policy: options.policies?.for(module),
    });
    providers.set(module.id, module.create({ http }));
    banks.set(module.id, { url: options.urls[module.id]!, http, authorization: module.authorization });
  }
  return {
    institutions: modules.map((m) => ({ id: m.id, name: m.name })),
    get: (id) => providers.get(id),
    bank: (id) => banks.get(id),
  };
}
