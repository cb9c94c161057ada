/**
 * Whether this instance may keep people's links and consents between requests, and how every
 * instance learns of a change (src/consent/grants-cache.ts):
 * - embedded store (PGlite): one process owns it, so the store's own watch is enough;
 * - PostgreSQL with Redis: versions in Redis, moved after every committed write on any instance and
 *   read on every request;
 * - PostgreSQL without Redis: other instances' writes cannot be known, so nothing is kept (one
 *   store statement per request, as before).
 */
import { bumpOrKeepTrying, RedisGrantVersions } from "../cache/grant-versions.js";
import { GRANTS_KEPT_MAX_AGE_MS, GrantsCache } from "../consent/grants-cache.js";
import type { Logger } from "../observability/logger.js";
import { LinkConsentRepository, type LinksWithConsents } from "../store/link-consent-repository.js";
import type { GrantWatchedDatabase } from "../store/grant-writes.js";

export interface KeptGrants {
  /** A request's links and consents, kept when they may be (ConsentServiceOptions.readLinksWithConsents); absent when nothing may be kept. */
  read: ((userId: string, clientId: string) => Promise<LinksWithConsents>) | undefined;
  close(): Promise<void>;
}

const readThrough = (cache: GrantsCache) => (userId: string, clientId: string) => cache.read(userId, clientId);

export function keptGrants(db: GrantWatchedDatabase, redisUrl: string | undefined, logger: Logger): KeptGrants {
  const store = new LinkConsentRepository(db);
  const read = (userId: string, clientId: string) => store.listForUser(userId, clientId);
  if (!redisUrl) {
    const cache = db.kind === "pglite" ? new GrantsCache({ read, localVersion: (userId) => db.grantVersion(userId) }) : undefined;
    return { read: cache && readThrough(cache), close: async () => undefined };
  }
  const shared = new RedisGrantVersions(redisUrl);
  const stopListening = db.onGrantChange((change) =>
    bumpOrKeepTrying(shared, change, GRANTS_KEPT_MAX_AGE_MS, (error) =>
      logger.error({ err: error }, "grant versions not moved in Redis: other instances may use a person's old consents until it is (retrying)"),
    ),
  );
  const cache = new GrantsCache({
    read,
    localVersion: (userId) => db.grantVersion(userId),
    shared,
    onSharedError: (error) => logger.warn({ err: error }, "grant versions unavailable; links and consents read from the store"),
  });
  return {
    read: readThrough(cache),
    async close() {
      stopListening();
      await shared.close();
    },
  };
}
