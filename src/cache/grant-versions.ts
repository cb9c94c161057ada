/**
 * Per-person grant versions in Redis, shared by every gateway instance: after a write to a
 * person's links or consents commits on ANY instance, that instance increments the person's
 * version before the write's caller goes on; every instance reads it (one round trip) before
 * using the person's links and consents it keeps in process (src/consent/grants-cache.ts). So a
 * consent revoked on instance A is refused by instance B's very next request: B's next read sees
 * the new version and goes to the store. There is no purge message to lose.
 *
 * A write that cannot say whose grants it changed renews the epoch, which every version includes:
 * everyone's kept grants are dropped. A missing epoch (Redis restarted empty) is renewed too, so
 * versions that started again from zero can never match what an instance kept from before.
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { Redis } from "ioredis";

/** What a committed write changed (as src/store/grant-writes.ts reports it). */
export interface GrantVersionChange {
  userIds: ReadonlySet<string>;
  everyone: boolean;
}

/** Grant versions every instance sees. */
export interface SharedGrantVersions {
  /** The person's current version. Rejects when it cannot be known (then nothing kept may be used). */
  current(userId: string): Promise<string>;
  /** Moves the versions of whoever `change` names; rejects when Redis did not take it. */
  bump(change: GrantVersionChange): Promise<void>;
  close(): Promise<void>;
}

const PREFIX = "bankgraph:grantver:";
const EPOCH_KEY = "bankgraph:grantver-epoch";
/**
 * A person's key lives a day past their last change; what an instance keeps is dropped long before
 * (GRANTS_KEPT_MAX_AGE_MS in grants-cache.ts), so a key that expired and started again from 0 never
 * matches a kept entry.
 */
const KEY_TTL_SECONDS = 24 * 3600;

export class RedisGrantVersions implements SharedGrantVersions {
  private readonly redis: Redis;

  constructor(url: string) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: "bankgraph-grant-versions" });
    // Failures surface on each call (the store is read instead); keep ioredis from logging them.
    this.redis.on("error", () => undefined);
  }

  /** Resolves once connected (before that, every call rejects: nothing queues while Redis is away). */
  async whenReady(): Promise<void> {
    if (this.redis.status !== "ready") await once(this.redis, "ready");
  }

  async current(userId: string): Promise<string> {
    const [epoch, version] = await this.redis.mget(EPOCH_KEY, PREFIX + userId);
    if (epoch === null) {
      // Set by whichever instance comes first; this read keeps nothing (the caller sees a version no entry has).
      await this.redis.set(EPOCH_KEY, randomUUID(), "NX");
      return `unknown:${randomUUID()}`;
    }
    return `${epoch}:${version ?? 0}`;
  }

  async bump(change: GrantVersionChange): Promise<void> {
    const multi = this.redis.multi();
    if (change.everyone) multi.set(EPOCH_KEY, randomUUID());
    for (const userId of change.userIds) multi.incr(PREFIX + userId).expire(PREFIX + userId, KEY_TTL_SECONDS);
    const results = await multi.exec();
    const failed = results?.find(([error]) => error !== null);
    if (!results || failed) throw failed?.[0] ?? new Error("grant versions not bumped");
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Between two tries of a bump Redis did not take. */
const RETRY_MS = 200;

/**
 * Bumps, and when Redis does not take it, keeps trying in the background (every 200 ms, until
 * `giveUpAfterMs`: by then every instance has dropped what it kept anyway). Resolves after the first
 * try, so a write's caller is held up by one round trip at most. `onError` hears of the first failure only.
 */
export async function bumpOrKeepTrying(
  versions: SharedGrantVersions,
  change: GrantVersionChange,
  giveUpAfterMs: number,
  onError: (error: unknown) => void,
): Promise<void> {
  try {
    await versions.bump(change);
    return;
  } catch (error) {
    onError(error);
  }
  const giveUpAt = Date.now() + giveUpAfterMs;
  const retry = () => {
    versions.bump(change).catch(() => {
      if (Date.now() < giveUpAt) setTimeout(retry, RETRY_MS).unref();
    });
  };
  setTimeout(retry, RETRY_MS).unref();
}
