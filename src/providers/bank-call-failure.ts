/**
 * A failed bank call, classified for the resilience policies (`src/resilience/`). It is still a `ProviderError`, so
 * clients see exactly the same typed code; the two traits below are for the gateway only.
 */
import { ProviderError, type ProviderFailure } from "./provider-error.js";

/** What a failure says about the bank and about trying again. */
export interface BankCallFailureTraits {
  /**
   * The bank itself is unwell (unreachable, timing out, 5xx, garbled answer): counts toward its
   * circuit breaker. A wrong password, an expired login, a 4xx or a 429 do not.
   */
  bankFault: boolean;
  /**
   * The same idempotent read may succeed if sent again (connection refused, 5xx, 429). A timeout
   * is not transient here: a second full wait would double the user's wait, and the breaker
   * already handles a bank that keeps timing out.
   */
  transient: boolean;
}

/** A `ProviderError` that also carries {@link BankCallFailureTraits}. */
export class BankCallFailure extends ProviderError {
  constructor(
    failure: ProviderFailure,
    institutionId: string,
    institutionName: string,
    internalDetail: string,
    readonly traits: BankCallFailureTraits,
    retryAfterSeconds?: number,
  ) {
    super(failure, institutionId, institutionName, internalDetail, retryAfterSeconds);
  }
}
