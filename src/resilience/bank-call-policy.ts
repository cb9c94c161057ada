/**
 * The resilience policy of one bank, built from cockatiel: a bulkhead (so a slow bank holds at
 * most N sockets and a short queue), a consecutive-failure circuit breaker (fail fast while the
 * bank is down, one probe call after a delay) and, for idempotent reads only, retries with
 * exponential backoff and decorrelated jitter that wait out a short Retry-After.
 *
 * Order, outermost first: retry → breaker → bulkhead → the HTTP attempt. Every attempt is seen
 * by the breaker; a backoff wait holds no bulkhead slot; an open circuit stops the retries.
 */
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  ExponentialBackoff,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  type IBackoff,
  type IRetryBackoffContext,
} from "cockatiel";
import type { BankResilienceOptions } from "../config.js";
import { BankCallFailure } from "../providers/bank-call-failure.js";
import type { BankCallPolicy, CircuitStatus } from "../providers/call-policy.js";
import { ProviderError, type ProviderFailure } from "../providers/provider-error.js";

/** Why a call was refused without reaching the bank. */
export type BankCallRejection = "circuit-open" | "bulkhead-full";

/** Hooks for metrics and logs; all optional. */
export interface BankPolicyEvents {
  /** A failed attempt of an idempotent read is about to be retried after `delayMs`. */
  onRetry?(institutionId: string, failure: ProviderFailure | "UNKNOWN", delayMs: number): void;
  onCircuitChange?(institutionId: string, status: CircuitStatus): void;
  onRejected?(institutionId: string, reason: BankCallRejection): void;
}

const isBankFault = (error: unknown) => error instanceof BankCallFailure && error.traits.bankFault;

export function createBankCallPolicy(institution: { id: string; name: string }, options: BankResilienceOptions, events: BankPolicyEvents = {}): BankCallPolicy {
  const { id, name } = institution;
  const retryable = (error: unknown) =>
    error instanceof BankCallFailure &&
    error.traits.transient &&
    (error.failure !== "RATE_LIMITED" || (error.retryAfterSeconds ?? Infinity) * 1000 <= options.retryAfterMaxWaitMs);

  const slots = bulkhead(options.bulkheadConcurrency, options.bulkheadQueue);
  const breaker = circuitBreaker(handleWhen(isBankFault), {
    halfOpenAfter: options.breakerHalfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.breakerFailures),
  });
  const retries = retry(handleWhen(retryable), { maxAttempts: options.retries, backoff: retryBackoff(options) });

  breaker.onStateChange((state) => events.onCircuitChange?.(id, circuitStatus(state)));
  retries.onRetry((event) => {
    const failure = "error" in event && event.error instanceof ProviderError ? event.error.failure : "UNKNOWN";
    events.onRetry?.(id, failure, event.delay);
  });

  const refused = (reason: BankCallRejection) => {
    events.onRejected?.(id, reason);
    return reason === "circuit-open"
      ? new BankCallFailure("DOWN", id, name, "circuit open: failing fast", { bankFault: false, transient: false })
      : new BankCallFailure("TIMEOUT", id, name, "bulkhead full: too many calls waiting", { bankFault: false, transient: false });
  };

  const asRefusal = (error: unknown): never => {
    if (error instanceof BrokenCircuitError) throw refused("circuit-open");
    if (error instanceof BulkheadRejectedError) throw refused("bulkhead-full");
    throw error;
  };
  const guarded = <T>(attempt: () => Promise<T>): Promise<T> => breaker.execute(() => slots.execute(attempt)).catch(asRefusal);

  return {
    institutionId: id,
    execute: (attempt, { idempotent }) => (idempotent ? retries.execute(() => guarded(attempt)) : guarded(attempt)),
    circuit: () => circuitStatus(breaker.state),
  };
}

/** Exponential backoff with cockatiel's decorrelated jitter, except after a 429: then exactly its Retry-After. */
function retryBackoff(options: BankResilienceOptions) {
  const exponential = new ExponentialBackoff({ initialDelay: options.retryBaseDelayMs, maxDelay: options.retryMaxDelayMs });
  return new DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown> | undefined>((context, previous) => {
    const step = previous ? previous.next(context) : exponential.next();
    const error = "error" in context.result ? context.result.error : undefined;
    const retryAfter = error instanceof ProviderError && error.failure === "RATE_LIMITED" ? error.retryAfterSeconds : undefined;
    return { delay: retryAfter !== undefined ? retryAfter * 1000 : step.duration, state: step };
  });
}

function circuitStatus(state: CircuitState): CircuitStatus {
  switch (state) {
    case CircuitState.Closed:
      return "closed";
    case CircuitState.HalfOpen:
      return "half-open";
    case CircuitState.Open:
    case CircuitState.Isolated:
      return "open";
  }
}
