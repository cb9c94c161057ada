/**
 * How many WebSockets one person may hold open at once, across every gateway instance: each
 * socket is a member of the person's sorted set in Redis (score = when its claim lapses), taken
 * atomically only while fewer than the limit are live, refreshed while the socket is open and
 * removed when it closes. A crashed instance's claims lapse after CLAIM_TTL_MS. Without Redis the
 * count is kept in this process (one instance).
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

/** Counts a person's open sockets against a limit. */
export interface ConnectionCap {
  /** Claims a slot for a new socket: a release function, or undefined when the person is at the limit. */
  acquire(userId: string): Promise<(() => void) | undefined>;
  close(): Promise<void>;
}

/** A claim not refreshed for this long is dropped (the instance holding it died). */
const CLAIM_TTL_MS = 60_000;
const PREFIX = "bankgraph:ws:";

/** Drops lapsed claims, then adds this one only while fewer than the limit remain. 1 = taken. */
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

export class RedisConnectionCap implements ConnectionCap {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly limit: number,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, connectionName: "bankgraph-ws-cap" });
    this.redis.on("error", () => undefined);
  }

  async acquire(userId: string): Promise<(() => void) | undefined> {
    const key = PREFIX + userId;
    const member = randomUUID();
    const now = Date.now();
    const taken = await this.redis.eval(ACQUIRE, 1, key, now, now + CLAIM_TTL_MS, this.limit, member, CLAIM_TTL_MS * 2);
    if (Number(taken) !== 1) return undefined;
    const refresh = setInterval(() => void this.redis.zadd(key, "XX", Date.now() + CLAIM_TTL_MS, member).catch(() => undefined), CLAIM_TTL_MS / 3);
    refresh.unref();
    return () => {
      clearInterval(refresh);
      void this.redis.zrem(key, member).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export class InProcessConnectionCap implements ConnectionCap {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  async acquire(userId: string): Promise<(() => void) | undefined> {
    const count = this.open.get(userId) ?? 0;
    if (count >= this.limit) return undefined;
    this.open.set(userId, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
  }

  async close(): Promise<void> {}
}

/** Redis when a URL is given, else in-process. */
export function createConnectionCap(redisUrl: string | undefined, limit: number): ConnectionCap {
  return redisUrl ? new RedisConnectionCap(redisUrl, limit) : new InProcessConnectionCap(limit);
}
