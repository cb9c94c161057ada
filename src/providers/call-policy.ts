/**
 * What a bank's HTTP client needs from a resilience policy, stated here so that providers do not
 * depend on how it is built: `src/resilience/` implements it (cockatiel retry, circuit breaker,
 * bulkhead) and classifies failures with `BankCallFailure` from this folder.
 */

/** The breaker's state in the gateway's words. */
export type CircuitStatus = "closed" | "half-open" | "open";

/** One bank's policy. */
export interface BankCallPolicy {
  readonly institutionId: string;
  /**
   * Runs a bank call. `attempt` sends the request once (it is called again for a retry);
   * `idempotent: false` (a login, anything with side effects) is never retried.
   */
  execute<T>(attempt: () => Promise<T>, options: { idempotent: boolean }): Promise<T>;
  circuit(): CircuitStatus;
}

/** Every bank's policy, one per institution. */
export interface BankCallPolicies {
  /** The institution's policy (the same one for every caller, or its breaker would not work). */
  for(institution: { id: string; name: string }): BankCallPolicy;
}
