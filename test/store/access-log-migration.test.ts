/**
 * Migration 020 (the access log, one row per request) on PGlite and PostgreSQL: a log written in
 * the old shape (a row per record) — records from before the chain (009), chained requests of two
 * people with interleaved ids, and a chain someone already broke — reads back after it record for
 * record: the same chain for the verifier, the same entries newest first, the same history, and
 * the next append continues the chain.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAccessChain } from "../../src/access-log/verify-access-chain.js";
import { chainAfter, GENESIS_HASH, recordTime, type AccessRecord, type ChainedAccessRecord } from "../../src/domain/access-record.js";
import { AccessHistoryRepository } from "../../src/store/access-history-repository.js";
import { AccessLogRepository } from "../../src/store/access-log-repository.js";
import type { Database } from "../../src/store/database.js";
import { loadMigrations, migrate } from "../../src/store/migrate.js";
import { openPglite } from "../../src/store/pglite.js";
import { openPostgres } from "../../src/store/postgres.js";
import { storeBackends, testDatabaseUrl } from "../support/databases.js";

const backends = await storeBackends();
const VERSION = 20;
const T0 = new Date("2025-03-01T10:00:00.000Z");
const CONSENT = "0b7e3c1a-2d4f-4e5a-9b6c-7d8e9f0a1b2c";
const OTHER_CONSENT = "1c8f4d2b-3e5a-4f6b-8c7d-9e0f1a2b3c4d";

/** A database migrated to just before 020, on the backend's kind; close() removes it. */
async function openBefore020(name: string): Promise<Database> {
  const migrations = (await loadMigrations()).filter((m) => m.version < VERSION);
  if (name === "pglite") {
    const db = await openPglite();
    await migrate(db, migrations);
    return db;
  }
  const schema = `bankgraph_test_${randomBytes(6).toString("hex")}`;
  const db = await openPostgres(testDatabaseUrl, { schema, max: 2, applicationName: "bankgraph-test" });
  await migrate(db, migrations);
  return { ...db, close: () => db.exec(`DROP SCHEMA ${schema} CASCADE`).finally(() => db.close()) };
}

function request(userId: string, requestId: string, minute: number, reads: Array<[scope: string, consentId: string | null]>): AccessRecord[] {
  const linkId = randomUUID();
  return reads.map(([scope, consentId]) => ({
    userId,
    clientId: "budget-app",
    linkId,
    institutionId: "chase",
    consentId,
    scope,
    purpose: "ACCOUNT_OVERVIEW",
    operationName: requestId === "r-legacy-2" ? null : `Op-${requestId}`,
    requestId,
    at: new Date(T0.getTime() + minute * 60_000),
  }));
}

/** Chains `records` after `seq` 0, the way the gateway did before 020. */
function chain(records: readonly AccessRecord[]): ChainedAccessRecord[] {
  let tip = { seq: 0, hash: GENESIS_HASH };
  return records.map((record) => {
    const link = chainAfter(tip, record);
    tip = link;
    return link;
  });
}

/** Writes rows in the old shape, in this order (ids increase). */
async function insertOld(db: Database, rows: ReadonlyArray<AccessRecord & { seq?: number; prevHash?: string; hash?: string }>): Promise<void> {
  for (const r of rows) {
    await db.query(
      `INSERT INTO access_log (user_id, client_id, link_id, institution_id, consent_id, scope, purpose, operation_name, request_id, at, seq, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        r.userId,
        r.clientId,
        r.linkId,
        r.institutionId,
        r.consentId,
        r.scope,
        r.purpose,
        r.operationName,
        r.requestId,
        recordTime(r.at),
        r.seq ?? null,
        r.prevHash ?? null,
        r.hash ?? null,
      ],
    );
  }
}

const withoutChain = ({ seq: _, prevHash: __, hash: ___, ...record }: ChainedAccessRecord): AccessRecord => record;

describe.each(backends)("migration 020 on $name", (backend) => {
  let db: Database;
  const alice = `alice-${randomUUID()}`;
  const bob = `bob-${randomUUID()}`;
  const mallory = `mallory-${randomUUID()}`;
  const legacy = [
    ...request(alice, "r-legacy-1", 0, [
      ["accounts:read", CONSENT],
      ["balances:read", CONSENT],
    ]),
    ...request(alice, "r-legacy-2", 1, [["accounts:read", null]]),
  ];
  const aliceChain = chain([
    ...request(alice, "r-1", 2, [
      ["accounts:read", CONSENT],
      ["balances:read", CONSENT],
      ["transactions:read", OTHER_CONSENT],
    ]),
    ...request(alice, "r-2", 3, [["accounts:read", CONSENT]]),
    // The same request id again later (a subscription's events share one): still its own rows.
    ...request(alice, "r-1", 24 * 60 + 5, [["identity:read", CONSENT]]),
  ]);
  const bobChain = chain(request(bob, "r-bob", 4, [["accounts:read", CONSENT]]).concat(request(bob, "r-bob-2", 5, [["balances:read", CONSENT]])));
  // A chain already broken in the old table: record 3 of this request is gone.
  const malloryChain = chain(
    request(
      mallory,
      "r-m",
      6,
      ["a", "b", "c", "d"].map((s) => [`${s}:read`, CONSENT]),
    ),
  );
  const malloryStored = malloryChain.filter((r) => r.seq !== 3);

  beforeAll(async () => {
    db = await openBefore020(backend.name);
    // Ids interleave two people's requests, as concurrent writers left them.
    await insertOld(db, [...legacy, aliceChain[0]!, bobChain[0]!, ...aliceChain.slice(1, 4), bobChain[1]!, ...malloryStored, aliceChain[4]!]);
    await db.query("INSERT INTO access_log_heads (user_id, seq, hash) VALUES ($1, 5, $2), ($3, 2, $4), ($5, 4, $6)", [
      alice,
      aliceChain[4]!.hash,
      bob,
      bobChain[1]!.hash,
      mallory,
      malloryChain[3]!.hash,
    ]);
    await migrate(db);
  });
  afterAll(() => db?.close());

  it("stores one row per request run and gives every chained record back exactly", async () => {
    const log = new AccessLogRepository(db);
    expect(await log.readChain(alice, 0, 100)).toEqual(aliceChain);
    expect(await log.readChain(alice, 2, 2)).toEqual(aliceChain.slice(2, 4));
    expect(await log.readChain(bob, 0, 100)).toEqual(bobChain);
    expect(verifyAccessChain(alice, aliceChain, [{ ...(await log.head(alice))!, label: "the store's head" }])).toMatchObject({ ok: true, records: 5 });
    // The break stays where it was.
    const mallorys = await log.readChain(mallory, 0, 100);
    expect(mallorys).toEqual(malloryStored);
    expect(verifyAccessChain(mallory, mallorys)).toMatchObject({ ok: false });
    const rows = await db.query<{ user_id: string; n: number }>("SELECT user_id, cardinality(scopes) AS n FROM access_log ORDER BY id");
    expect(rows.map((r) => [r.user_id, r.n])).toEqual([
      [alice, 2],
      [alice, 1],
      [alice, 3],
      [bob, 1],
      [alice, 1],
      [bob, 1],
      [mallory, 2],
      [mallory, 1],
      [alice, 1],
    ]);
  });

  it("lists every record, chained or not, newest first, across pages", async () => {
    const log = new AccessLogRepository(db);
    const entries = [];
    let after: string | null = null;
    do {
      const page = await log.listForUser(alice, { first: 2, after });
      entries.push(...page.items);
      after = page.hasNextPage ? page.endCursor : null;
    } while (after);
    const expected = [
      ...legacy.map((r) => ({ ...r, chain: null })),
      ...aliceChain.map((r) => ({ ...withoutChain(r), chain: { seq: r.seq, prevHash: r.prevHash, hash: r.hash } })),
    ];
    expect(entries.map(({ id: _, ...entry }) => entry)).toEqual(expected.reverse());
  });

  it("answers the dashboard's history as the old rows did", async () => {
    const history = new AccessHistoryRepository(db);
    expect(await history.lastAccess(alice, [CONSENT, OTHER_CONSENT])).toEqual(
      new Map([
        [CONSENT, aliceChain[4]!.at],
        [OTHER_CONSENT, aliceChain[2]!.at],
      ]),
    );
    const page = await history.forConsent(alice, CONSENT, 10);
    expect(page.entries.map((e) => [e.operationName, [...e.scopes].sort()])).toEqual([
      ["Op-r-2", ["accounts:read"]],
      ["Op-r-1", ["accounts:read", "balances:read", "identity:read"]],
      ["Op-r-legacy-1", ["accounts:read", "balances:read"]],
    ]);
    expect(page.older).toBeNull();
    expect(await history.readsPerDay(alice, T0, "UTC")).toEqual([
      { clientId: "budget-app", day: "2025-03-01", reads: 4 },
      { clientId: "budget-app", day: "2025-03-02", reads: 1 },
    ]);
  });

  it("the next append continues each chain", async () => {
    const log = new AccessLogRepository(db);
    const next = request(alice, "r-3", 30, [["accounts:read", CONSENT]]);
    await log.append(next);
    const records = await log.readChain(alice, 0, 100);
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(verifyAccessChain(alice, records, [{ ...(await log.head(alice))!, label: "the store's head" }])).toMatchObject({ ok: true, records: 6 });
    // A new row's id follows the migrated ones.
    const [newest] = (await log.listForUser(alice, { first: 1 })).items;
    expect(newest!.requestId).toBe("r-3");
  });
});
