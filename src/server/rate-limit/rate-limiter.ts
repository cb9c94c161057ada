/**
 * Request rate limits per user (across apps) and per client app (across users): fixed windows
 * of RATE_LIMIT_WINDOW_SECONDS on the gateway's clock, counted in-process or in Redis
 * (REDIS_URL) so N instances share one budget. Every request counts against both; over either
 * limit the request is refused whole: RATE_LIMITED with `retryAfter` seconds, HTTP 429 and a
 * `Retry-After` header.
 */
import { HeaderMap } from "@apollo/server";
import type { Identity } from "../../auth/identity.js";
import type { Clock } from "../../clock.js";
import type { RateLimitConfig } from "../../config.js";
import { ErrorCode, GatewayError } from "../../errors.js";
import { RedisCounterStore } from "./redis-counter-store.js";
import { InProcessCounterStore, type WindowCounterStore } from "./window-counter-store.js";

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions extends RateLimitConfig {
  clock: Clock;
  store: WindowCounterStore;
  /**
   * Called when the store fails (Redis unreachable). The request is then let through: a limit
   * we cannot count must not take the whole gateway down with it.
   */
  onStoreError?: (error: unknown) => void;
}

type Subject = "user" | "client";

export class RateLimiter {
  private readonly windowMs: number;

  constructor(private readonly options: RateLimiterOptions) {
    this.windowMs = options.windowSeconds * 1000;
  }

  /** Counts one request by `identity`; throws RATE_LIMITED (HTTP 429) when it is over a limit. */
  async consume(identity: Identity): Promise<void> {
    const checks = (
      [
        ["user", identity.userId, this.options.perUser],
        ["client", identity.clientId, this.options.perClient],
      ] as const
    ).filter(([, , limit]) => limit > 0);
    if (checks.length === 0) return;
    const now = this.options.clock.now().getTime();
    const window = Math.floor(now / this.windowMs);
    let counts: number[];
    try {
      // The window's number is in the key, so a key's lifetime only has to outlast its window.
      counts = await this.options.store.hit(
        checks.map(([subject, id]) => `${subject}:${window}:${id}`),
        this.windowMs + 1000,
      );
    } catch (error) {
      this.options.onStoreError?.(error);
      return;
    }
    const retryAfter = Math.max(1, Math.ceil(((window + 1) * this.windowMs - now) / 1000));
    checks.forEach(([subject, , limit], i) => {
      if (counts[i]! > limit) throw rateLimited(subject, limit, this.options.windowSeconds, retryAfter);
    });
  }

  close(): Promise<void> {
    return this.options.store.close();
  }
}

function rateLimited(subject: Subject, limit: number, windowSeconds: number, retryAfter: number): GatewayError {
  const who = subject === "user" ? "this user" : "this app";
  const error = new GatewayError(
    ErrorCode.RATE_LIMITED,
    `Too many requests for ${who}: at most ${limit} per ${windowSeconds} s. Retry after ${retryAfter} s.`,
    {
      retryAfter,
      limit: subject.toUpperCase(),
    },
  );
  // A request-level limit ends the whole request, unlike a bank's RATE_LIMITED on one field.
  Object.assign(error.extensions, { http: { status: 429, headers: new HeaderMap([["retry-after", String(retryAfter)]]) } });
  return error;
}

/** The limiter for a gateway instance: Redis-backed when `redisUrl` is set, else in-process. */
export function createRateLimiter(config: RateLimitConfig, redisUrl: string | undefined, clock: Clock, onStoreError?: (error: unknown) => void): RateLimiter {
  const store = redisUrl ? new RedisCounterStore(redisUrl) : new InProcessCounterStore(() => clock.now().getTime());
  return new RateLimiter({ ...config, clock, store, onStoreError });
}
