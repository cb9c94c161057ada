/**
 * One resilience policy per institution, shared by every request of this gateway instance (a
 * breaker only works if all callers go through the same one). Breaker state is per instance: with
 * N instances each learns on its own that a bank is down, within `breakerFailures` calls.
 */
import type { BankResilienceOptions } from "../config.js";
import type { BankCallPolicies, BankCallPolicy, CircuitStatus } from "../providers/call-policy.js";
import { createBankCallPolicy, type BankPolicyEvents } from "./bank-call-policy.js";

export class BankPolicies implements BankCallPolicies {
  private readonly policies = new Map<string, BankCallPolicy>();

  constructor(
    private readonly options: BankResilienceOptions,
    private readonly events: BankPolicyEvents = {},
  ) {}

  /** The institution's policy, created on first use. */
  for(institution: { id: string; name: string }): BankCallPolicy {
    let policy = this.policies.get(institution.id);
    if (!policy) {
      policy = createBankCallPolicy(institution, this.options, this.events);
      this.policies.set(institution.id, policy);
    }
    return policy;
  }

  /** The institution's circuit; "closed" for a bank that has not been called yet. */
  circuit(institutionId: string): CircuitStatus {
    return this.policies.get(institutionId)?.circuit() ?? "closed";
  }
}
