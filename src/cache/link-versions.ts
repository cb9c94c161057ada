/**
 * Per-link versions in Redis, shared by every gateway instance: a bank event, an unlink or a
 * revocation on ANY instance increments the link's version (`INCR`), and every instance checks
 * the version before serving a cached answer for that link (src/cache/upstream-cache.ts). So a
 * cached balance is never served after another instance accepted a change for its link — there
 * is no purge message to lose. When Redis cannot answer, cached entries are not served (a fresh
 * bank call is safe; a stale answer is not).
 */
import { Redis } from "ioredis";

/** The versions of links, as every instance sees them. */
export interface LinkVersions {
  /** The link's current version (0 before its first change). Rejects when it cannot be known. */
  current(linkId: string): Promise<number>;
  /** Marks the link's cached data stale on every instance. */
  bump(linkId: string): Promise<void>;
  close(): Promise<void>;
}

const PREFIX = "bankgraph:linkver:";
/** A version key outlives any cache TTL by far; a link unseen for a week starts again at 0 (its entries are long gone). */
const KEY_TTL_SECONDS = 7 * 24 * 3600;

export class RedisLinkVersions implements LinkVersions {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: "bankgraph-link-versions" });
    // Failures surface on each call (the cache then skips its entries); keep ioredis from logging them.
    this.redis.on("error", () => undefined);
  }

  async current(linkId: string): Promise<number> {
    return Number((await this.redis.get(PREFIX + linkId)) ?? 0);
  }

  async bump(linkId: string): Promise<void> {
    await this.redis
      .multi()
      .incr(PREFIX + linkId)
      .expire(PREFIX + linkId, KEY_TTL_SECONDS)
      .exec();
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
