/**
 * The grant watch (src/store/grant-writes.ts) and the in-process grants cache it makes safe
 * (src/consent/grants-cache.ts): every committed write to a person's links or consents — through
 * the consent service, the link repository, any statement — moves that person's version before
 * the write's caller goes on; reads and other people's writes do not; and the cache reads the
 * store again exactly when the version moved. On both backends; Redis versions against real Redis.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisGrantVersions, type SharedGrantVersions } from "../../src/cache/grant-versions.js";
import { GrantsCache } from "../../src/consent/grants-cache.js";
import { LinkStatus } from "../../src/domain/link.js";
import { grantChangeOf, watchGrantWrites, type GrantChange, type GrantWatchedDatabase } from "../../src/store/grant-writes.js";
import { BankGrantRevocationRepository } from "../../src/store/bank-grant-revocation-repository.js";
import { LinkConsentRepository } from "../../src/store/link-consent-repository.js";
import type { Queryable } from "../../src/store/database.js";
import { storeBackends } from "../support/databases.js";
import { CLIENT, openConsentFixture, type ConsentFixture } from "./consent-fixture.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const alice = "alice";

describe("what a statement says it changed", () => {
  const everyone: GrantChange = { userIds: new Set(), everyone: true };
  it.each([
    ["INSERT INTO consents (id, user_id) VALUES ($1, $2) RETURNING user_id", [{ user_id: alice }], { userIds: new Set([alice]), everyone: false }],
    [
      "UPDATE consents SET status = $2 WHERE id = $1 RETURNING user_id",
      [{ user_id: alice }, { user_id: "bob" }],
      { userIds: new Set([alice, "bob"]), everyone: false },
    ],
    [
      "UPDATE links SET status = $2 WHERE id = $1 AND status <> 'REVOKED' RETURNING *",
      [{ id: "l", user_id: alice }],
      { userIds: new Set([alice]), everyone: false },
    ],
    [
      "WITH c AS (UPDATE consents SET status = 'EXPIRED' RETURNING user_id) SELECT user_id FROM c",
      [{ user_id: alice }],
      { userIds: new Set([alice]), everyone: false },
    ],
    ["UPDATE links SET access_token_ciphertext = NULL WHERE id = $1", [], everyone],
    ['DELETE FROM "consents" WHERE id = $1', [], everyone],
    ["delete from public.links where id = $1 returning id", [{ id: "l" }], everyone],
    ["TRUNCATE TABLE links, consents", undefined, everyone],
  ] as const)("%s → %o", (sql, rows, expected) => {
    expect(grantChangeOf(sql, rows)).toEqual(expected);
  });

  it.each([
    "SELECT * FROM links WHERE id = $1 AND status <> 'REVOKED' FOR UPDATE",
    "SELECT * FROM consents WHERE client_id = $1 AND link_id = $2 ORDER BY requested_at DESC FOR UPDATE",
    "INSERT INTO access_log_heads (user_id, seq, hash) SELECT 1 ON CONFLICT (user_id) DO UPDATE SET seq = access_log_heads.seq RETURNING user_id",
    "INSERT INTO link_accounts (link_id, institution_id, account_id) VALUES ($1, $2, $3)",
    "DELETE FROM link_shared_accounts WHERE link_id = $1",
    "UPDATE consents_archive SET x = 1",
  ])("%s → nothing", (sql) => {
    expect(grantChangeOf(sql, [{ user_id: alice }])).toBeUndefined();
  });

  it("an UPDATE that matched no row changed nothing", () => {
    expect(grantChangeOf("UPDATE consents SET status = $2 WHERE id = $1 RETURNING user_id", [])).toBeUndefined();
  });
});

const backends = await storeBackends();

describe.each(backends)("the grant watch on $name", (backend) => {
  let f: ConsentFixture;
  let db: GrantWatchedDatabase;
  const told: GrantChange[] = [];

  beforeAll(async () => {
    f = await openConsentFixture({ name: backend.name, open: async () => watchGrantWrites(await backend.open()) });
    db = f.db as GrantWatchedDatabase;
    db.onGrantChange((change) => void told.push(change));
  });
  afterAll(() => f?.db.close());

  it("each consent change moves its person's version only, after it committed", async () => {
    const [ann, ben] = [f.newUser(), f.newUser()];
    const link = await f.newLink(ann);
    const annBefore = db.grantVersion(ann);
    const benBefore = db.grantVersion(ben);
    const requested = await f.request(ann, link.id);
    const afterRequest = db.grantVersion(ann);
    expect(afterRequest).not.toBe(annBefore);
    await f.service.authorize(requested.id, ann);
    const afterAuthorize = db.grantVersion(ann);
    expect(afterAuthorize).not.toBe(afterRequest);
    await f.service.revoke(requested.id, { userId: ann });
    expect(db.grantVersion(ann)).not.toBe(afterAuthorize);
    expect(db.grantVersion(ben)).toBe(benBefore);
    expect(told.at(-1)).toEqual({ userIds: new Set([ann]), everyone: false });
  });

  it("inside a transaction the version stays until COMMIT; a rolled-back write leaves no change behind", async () => {
    const ann = f.newUser();
    const link = await f.newLink(ann);
    const before = db.grantVersion(ann);
    let during = "";
    await db.transaction(async (tx) => {
      await tx.query("UPDATE links SET status = 'LOGIN_REQUIRED' WHERE id = $1 RETURNING *", [link.id]);
      during = db.grantVersion(ann);
    });
    expect(during).toBe(before);
    expect(db.grantVersion(ann)).not.toBe(before);
    await expect(
      db.transaction(async (tx) => {
        await tx.query("UPDATE links SET status = 'ACTIVE' WHERE id = $1 RETURNING *", [link.id]);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect((await f.links.findById(link.id))?.status).toBe(LinkStatus.LOGIN_REQUIRED);
  });

  it("link writes (status, tokens, the bank revocation's token drop) and reads", async () => {
    const ann = f.newUser();
    const link = await f.newLink(ann);
    let version = db.grantVersion(ann);
    const moved = () => {
      const now = db.grantVersion(ann);
      const changed = now !== version;
      version = now;
      return changed;
    };
    await f.links.findById(link.id);
    await new LinkConsentRepository(db).listForUser(ann, CLIENT);
    expect(moved()).toBe(false);
    await f.links.setStatus(link.id, LinkStatus.LOGIN_REQUIRED);
    expect(moved()).toBe(true);
    await f.links.saveRefreshedTokens(link.id, { accessTokenCiphertext: "v1.other", accessTokenExpiresAt: null, refreshTokenCiphertext: null });
    expect(moved()).toBe(true);
    await db.transaction((tx) => new BankGrantRevocationRepository(tx).enqueueFromLink(link.id, "LINK_REMOVED", f.clock.now()));
    expect(moved()).toBe(true);
    await f.links.revoke(link.id);
    expect(moved()).toBe(true);
  });

  it("the change's listeners are awaited before the write settles", async () => {
    const ann = f.newUser();
    const link = await f.newLink(ann);
    let heard = false;
    const stop = db.onGrantChange(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      heard = true;
    });
    await f.links.setStatus(link.id, LinkStatus.LOGIN_REQUIRED);
    expect(heard).toBe(true);
    stop();
  });

  it("two handles on one store share the versions", async () => {
    const ann = f.newUser();
    const link = await f.newLink(ann);
    const other = watchGrantWrites(db);
    const before = other.grantVersion(ann);
    await f.links.setStatus(link.id, LinkStatus.LOGIN_REQUIRED);
    expect(other.grantVersion(ann)).not.toBe(before);
  });

  it("hands each statement's options on: a statement named to be prepared is prepared, in a transaction and out of one", async () => {
    // The access-log append runs through this handle with `prepareAs`; dropped, it is parsed and planned on every request.
    const named = () => `watched_${randomUUID().replaceAll("-", "")}`;
    const prepared = (q: Queryable, name: string) => q.query<{ name: string }>("SELECT name FROM pg_prepared_statements WHERE name = $1", [name]);
    const inTransaction = named();
    await db.transaction(async (tx) => {
      expect(await tx.query("SELECT $1::integer AS one", [1], { prepareAs: inTransaction })).toEqual([{ one: 1 }]);
      expect(await prepared(tx, inTransaction)).toEqual([{ name: inTransaction }]);
    });
    // Outside a transaction only PGlite's one session is sure to answer the second query on the
    // connection that ran the first; a PostgreSQL pool may hand it another.
    if (backend.name !== "pglite") return;
    const alone = named();
    expect(await db.query("SELECT $1::integer AS one", [1], { prepareAs: alone })).toEqual([{ one: 1 }]);
    expect(await prepared(db, alone)).toEqual([{ name: alone }]);
  });

  describe("the grants cache", () => {
    const counting = () => {
      let reads = 0;
      const store = new LinkConsentRepository(db);
      return {
        reads: () => reads,
        read: (userId: string, clientId: string) => {
          reads += 1;
          return store.listForUser(userId, clientId);
        },
      };
    };

    it("reads the store once while nothing changes, again after the person's change, not after another's", async () => {
      const [ann, ben] = [f.newUser(), f.newUser()];
      const [annLink, benLink] = [await f.newLink(ann), await f.newLink(ben)];
      const annConsent = await f.request(ann, annLink.id);
      await f.service.authorize(annConsent.id, ann);
      const store = counting();
      const cache = new GrantsCache({ read: store.read, localVersion: (userId) => db.grantVersion(userId) });
      const first = await cache.read(ann, CLIENT);
      const second = await cache.read(ann, CLIENT);
      expect(store.reads()).toBe(1);
      expect(second).toEqual(first);
      // Each read gets its own links: a request updating one in place (a refreshed token) changes no other's.
      second.links[0]!.status = LinkStatus.LOGIN_REQUIRED;
      expect((await cache.read(ann, CLIENT)).links[0]!.status).toBe(LinkStatus.ACTIVE);
      await f.links.setStatus(benLink.id, LinkStatus.LOGIN_REQUIRED);
      await cache.read(ann, CLIENT);
      expect(store.reads()).toBe(1);
      await f.service.revoke(annConsent.id, { userId: ann });
      const after = await cache.read(ann, CLIENT);
      expect(store.reads()).toBe(2);
      expect(after.consents.find((c) => c.id === annConsent.id)?.status).toBe("REVOKED");
      // Another app's view of the same person is kept apart.
      await cache.read(ann, "another-app");
      expect(store.reads()).toBe(3);
    });

    it("a write that commits during the store read leaves the entry behind at once", async () => {
      const ann = f.newUser();
      const link = await f.newLink(ann);
      let reads = 0;
      const cache = new GrantsCache({
        localVersion: (userId) => db.grantVersion(userId),
        read: async (userId, clientId) => {
          reads += 1;
          const before = await new LinkConsentRepository(db).listForUser(userId, clientId);
          if (reads === 1) await f.links.setStatus(link.id, LinkStatus.LOGIN_REQUIRED);
          return before;
        },
      });
      expect((await cache.read(ann, CLIENT)).links[0]!.status).toBe(LinkStatus.ACTIVE);
      expect((await cache.read(ann, CLIENT)).links[0]!.status).toBe(LinkStatus.LOGIN_REQUIRED);
      expect(reads).toBe(2);
    });

    it("without a shared version (Redis down), every read goes to the store", async () => {
      const ann = f.newUser();
      await f.newLink(ann);
      const store = counting();
      const errors: unknown[] = [];
      const down: SharedGrantVersions = {
        current: () => Promise.reject(new Error("Connection is closed.")),
        bump: () => Promise.reject(new Error("Connection is closed.")),
        close: async () => undefined,
      };
      const cache = new GrantsCache({
        read: store.read,
        localVersion: (userId) => db.grantVersion(userId),
        shared: down,
        onSharedError: (e) => errors.push(e),
      });
      await cache.read(ann, CLIENT);
      await cache.read(ann, CLIENT);
      expect(store.reads()).toBe(2);
      expect(errors).toHaveLength(2);
    });
  });
});

describe("grant versions in Redis", () => {
  let a: RedisGrantVersions;
  let b: RedisGrantVersions;
  beforeAll(async () => {
    a = new RedisGrantVersions(REDIS_URL);
    b = new RedisGrantVersions(REDIS_URL);
    await Promise.all([a.whenReady(), b.whenReady()]);
    await b.current("anyone"); // the epoch exists from here on
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("a bump on one instance is the other's next version; someone else's is not", async () => {
    const [ann, ben] = [`grants-${randomUUID()}`, `grants-${randomUUID()}`];
    const [annBefore, benBefore] = [await b.current(ann), await b.current(ben)];
    await a.bump({ userIds: new Set([ann]), everyone: false });
    expect(await b.current(ann)).not.toBe(annBefore);
    expect(await b.current(ben)).toBe(benBefore);
    await a.bump({ userIds: new Set(), everyone: true });
    expect(await b.current(ben)).not.toBe(benBefore);
  });

  it("cache entries of instance B are dropped on B's next read after A's write", async () => {
    const ann = `grants-${randomUUID()}`;
    let reads = 0;
    const cache = new GrantsCache({
      read: async () => {
        reads += 1;
        return { links: [], consents: [] };
      },
      localVersion: () => "0.0",
      shared: b,
    });
    await cache.read(ann, CLIENT);
    await cache.read(ann, CLIENT);
    expect(reads).toBe(1);
    await a.bump({ userIds: new Set([ann]), everyone: false });
    await cache.read(ann, CLIENT);
    expect(reads).toBe(2);
  });
});
