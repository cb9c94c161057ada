/**
 * How long and how often a mock bank keeps trying a webhook delivery that failed: exponential
 * backoff with jitter (so many banks recovering at once don't hit the receiver in lockstep),
 * within a window counted from the event. Real banks retry for hours to days; the default is one
 * hour, and tests shorten everything through the cluster options or the environment.
 */

/** A sender's retry schedule. */
export interface WebhookRetryPolicy {
  /** How long after the event the bank keeps trying, in ms (MOCK_WEBHOOK_RETRY_WINDOW_MS, default 3600000). */
  windowMs: number;
  /** Wait before the first retry, in ms; doubled each time (MOCK_WEBHOOK_FIRST_RETRY_MS, default 500). */
  firstDelayMs: number;
  /** Longest wait between two attempts, in ms (MOCK_WEBHOOK_MAX_RETRY_MS, default 60000). */
  maxDelayMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = { windowMs: 3_600_000, firstDelayMs: 500, maxDelayMs: 60_000 };

/** The policy from MOCK_WEBHOOK_* environment variables, defaults for the rest; throws on a value that is not a non-negative integer. */
export function webhookRetryFromEnv(env: NodeJS.ProcessEnv): WebhookRetryPolicy {
  const read = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number of milliseconds, not "${raw}"`);
    return value;
  };
  return {
    windowMs: read("MOCK_WEBHOOK_RETRY_WINDOW_MS", DEFAULT_WEBHOOK_RETRY.windowMs),
    firstDelayMs: read("MOCK_WEBHOOK_FIRST_RETRY_MS", DEFAULT_WEBHOOK_RETRY.firstDelayMs),
    maxDelayMs: read("MOCK_WEBHOOK_MAX_RETRY_MS", DEFAULT_WEBHOOK_RETRY.maxDelayMs),
  };
}

/**
 * The wait before retry number `retry` (1 = the first retry): `firstDelayMs · 2^(retry-1)`,
 * capped at `maxDelayMs`, then "equal jitter" — half of it fixed, half random — so the wait never
 * collapses to nothing yet spreads banks apart.
 */
export function retryDelay(policy: WebhookRetryPolicy, retry: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.min(retry - 1, 30));
  return Math.round(base / 2 + random() * (base / 2));
}
