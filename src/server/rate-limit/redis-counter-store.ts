/**
 * Window counts in Redis (ioredis), shared by every gateway instance: one MULTI of INCR +
 * PEXPIRE per key — atomic, one round trip. Keys carry their window's number, so refreshing the
 * expiry on every hit is harmless and a finished window's key simply times out.
 */
import { Redis } from "ioredis";
import type { WindowCounterStore } from "./window-counter-store.js";

export class RedisCounterStore implements WindowCounterStore {
  private readonly redis: Redis;

  /** `prefix` keeps the gateway's keys apart from anything else in the database. */
  constructor(
    url: string,
    private readonly prefix = "bankgraph:ratelimit:",
  ) {
    // Fail fast rather than queue: a request must not wait on Redis reconnecting.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: "bankgraph-rate-limit", lazyConnect: false });
    // Connection errors surface on each hit (the limiter decides); keep ioredis from logging them.
    this.redis.on("error", () => {});
  }

  async hit(keys: readonly string[], ttlMs: number): Promise<number[]> {
    const multi = this.redis.multi();
    for (const key of keys) multi.incr(this.prefix + key).pexpire(this.prefix + key, ttlMs);
    const results = (await multi.exec()) ?? [];
    return keys.map((_key, i) => {
      const [error, count] = results[i * 2] ?? [new Error("Redis returned no result")];
      if (error) throw error;
      return Number(count);
    });
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
