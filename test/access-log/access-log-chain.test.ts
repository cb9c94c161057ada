/**
 * The access log is tamper-evident, end to end on PostgreSQL: an app's reads through TWO gateway
 * instances extend the person's one hash chain (no fork, no gap); the person's `accessLog` and
 * `accessLogHead` carry enough to verify it independently; `bankgraph verify-access-log` (a real
 * child process on the same database) passes it untouched, and names the first broken record
 * once a record is edited, deleted or swapped with another, or the tail is cut off after a signed
 * head — even when the tamperer also fixes the store's head row. Signed heads also come on the timer.
 */
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAccessLog } from "../../src/access-log/verify-access-chain.js";
import type { ChainedAccessRecord } from "../../src/domain/access-record.js";
import type { Database } from "../../src/store/database.js";
import { openPostgresTestDatabase, testDatabaseUrl } from "../support/databases.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";

const ROOT = new URL("../..", import.meta.url).pathname;
const SETUP_TIMEOUT_MS = 240_000;
const CLI_TIMEOUT_MS = 120_000;
const DASHBOARD = `query Dashboard { accounts { id balance { current { amount } } } }`;
const ACCESS_LOG = `query Log($after: String) {
  accessLog(first: 100, after: $after) {
    nodes { seq prevHash hash at clientId institutionId linkId consentId scope purpose operationName requestId }
    pageInfo { hasNextPage endCursor }
  }
}`;
const HEAD = `{ accessLogHead { seq hash signedAt jws } }`;

/** The local (database) ID inside a global ID: its last part. */
const localId = (globalId: string): string => (JSON.parse(Buffer.from(globalId, "base64url").toString()) as string[]).at(-1)!;

let db: Database;
let schema: string;
let a: TestGateway;
let b: TestGateway;
let alice: TestUser;

beforeAll(async () => {
  db = await openPostgresTestDatabase();
  schema = (await db.query<{ schema: string }>("SELECT current_schema() AS schema"))[0]!.schema;
  // Instance a signs every chain that advanced every 200 ms; b only on demand.
  a = await startTestGateway({ db, mocks: { banks: ["chase"] }, env: { ACCESS_LOG_HEAD_SIGN_MS: "200" } });
  b = await startTestGateway({ db, cluster: a.mocks, env: { ACCESS_LOG_HEAD_SIGN_MS: "0" } });
  alice = await a.newUser("chain", ["chase"]);
  await a.grant(alice, "chase", ["accounts:read", "balances:read"]);
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await b?.close();
  await a?.close();
  await db?.close();
});

/** The person's whole chain as `accessLog` shows it, oldest first, in the verifier's terms. */
async function chainFromGraphQL(): Promise<ChainedAccessRecord[]> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const { body }: { body: any } = await a.gql(ACCESS_LOG, { after }, alice.user);
    expect(body.errors).toBeUndefined();
    nodes.push(...body.data.accessLog.nodes);
    if (!body.data.accessLog.pageInfo.hasNextPage) break;
    after = body.data.accessLog.pageInfo.endCursor;
  }
  return nodes.reverse().map((n) => ({
    userId: alice.userId,
    clientId: n.clientId,
    linkId: localId(n.linkId),
    institutionId: n.institutionId,
    consentId: n.consentId === null ? null : localId(n.consentId),
    scope: n.scope,
    purpose: n.purpose,
    operationName: n.operationName,
    requestId: n.requestId,
    at: new Date(n.at),
    seq: n.seq,
    prevHash: n.prevHash,
    hash: n.hash,
  }));
}

/** `bankgraph verify-access-log --user <alice>` against this test's schema: exit code and output. */
function verifyWithCli(): Promise<{ code: number; out: string }> {
  const url = new URL(testDatabaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["bin/bankgraph.js", "verify-access-log", "--user", alice.userId],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "test", DATABASE_URL: url.toString() },
        timeout: CLI_TIMEOUT_MS,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

async function readConcurrently(requests: number): Promise<void> {
  const responses = await Promise.all(Array.from({ length: requests }, (_, i) => (i % 2 === 0 ? a : b).gql(DASHBOARD, {}, alice.app)));
  for (const { body } of responses) {
    expect(body.errors).toBeUndefined();
    expect(body.data.accounts.length).toBeGreaterThan(0);
  }
}

describe("one chain per person across instances", () => {
  it(
    "concurrent reads through two instances form one linear chain, which the person can verify from accessLog and accessLogHead alone",
    async () => {
      await readConcurrently(16);
      const chain = await chainFromGraphQL();
      // Every read recorded accounts:read and balances:read on the one link: 32 records, seq 1…32, each after the one before.
      expect(chain.map((r) => r.seq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
      for (const [i, record] of chain.entries()) if (i > 0) expect(record.prevHash).toBe(chain[i - 1]!.hash);

      const head = (await b.gql(HEAD, {}, alice.user)).body.data.accessLogHead;
      expect(head).toMatchObject({ seq: 32, hash: chain[31]!.hash });
      const keys = await a.gateway.services.signer.publicKeys();
      expect(await verifyAccessLog({ userId: alice.userId, records: chain, signedHead: head.jws, keys })).toMatchObject({
        ok: true,
        records: 32,
        signedHead: { userId: alice.userId, seq: 32, hash: chain[31]!.hash },
      });
      // The head is the person's own: an app token cannot have it.
      expect((await a.gql(HEAD, {}, alice.app)).body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    },
    CLI_TIMEOUT_MS,
  );

  it("the timer signs the head of a chain that advanced, without anyone asking", async () => {
    await readConcurrently(2);
    const { seq } = (await db.query<{ seq: number }>("SELECT seq FROM access_log_heads WHERE user_id = $1", [alice.userId]))[0]!;
    // Wait for the sweep's signature of exactly this tip (the event), checking every 50 ms.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const signed = await db.query("SELECT 1 FROM access_log_signed_heads WHERE user_id = $1 AND seq = $2", [alice.userId, seq]);
      if (signed.length === 1) break;
      if (Date.now() > deadline) throw new Error(`head ${seq} was not signed by the timer`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seq).toBe(36);
  });
});

describe("bankgraph verify-access-log on the store", () => {
  // A row holds one request's records (migration 020): record `seq` is at index `seq − first_seq + 1` of its row's arrays.
  const HOLDS = "user_id = $1 AND $2::bigint BETWEEN first_seq AND first_seq + cardinality(hashes) - 1";
  const AT = "($2::bigint - first_seq + 1)::int";
  const ARRAYS = ["link_ids", "institution_ids", "consent_ids", "scopes", "purposes", "hashes"];

  /** The stored row holding record `seq`, to put back as it was. */
  async function rowHolding(seq: number): Promise<Record<string, unknown>> {
    const rows = await db.query<Record<string, unknown>>(`SELECT id, ${ARRAYS.join(", ")} FROM access_log WHERE ${HOLDS}`, [alice.userId, seq]);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }
  const putBack = (row: Record<string, unknown>) =>
    db.query(`UPDATE access_log SET ${ARRAYS.map((name, i) => `${name} = $${i + 2}`).join(", ")} WHERE id = $1`, [
      row["id"],
      ...ARRAYS.map((name) => row[name]),
    ]);

  it(
    "passes the untouched log; an edited record fails at that record, and passes again once it is put back",
    async () => {
      expect(await verifyWithCli()).toMatchObject({ code: 0, out: expect.stringContaining("intact — 36 records (1–36)") });
      const { scope } = (await db.query<{ scope: string }>(`SELECT scopes[${AT}] AS scope FROM access_log WHERE ${HOLDS}`, [alice.userId, 7]))[0]!;
      await db.query(`UPDATE access_log SET scopes[${AT}] = 'identity:read' WHERE ${HOLDS}`, [alice.userId, 7]);
      const edited = await verifyWithCli();
      expect(edited.code).toBe(1);
      expect(edited.out).toContain("BROKEN at record 7 (HASH_MISMATCH)");
      await db.query(`UPDATE access_log SET scopes[${AT}] = $3 WHERE ${HOLDS}`, [alice.userId, 7, scope]);
      expect((await verifyWithCli()).code).toBe(0);
    },
    CLI_TIMEOUT_MS * 3,
  );

  it(
    "a deleted record fails at that record, and passes again once it is put back",
    async () => {
      const saved = await rowHolding(12);
      // Record 12 is the last of its request's two: taking it out of every array leaves record 11 in the row.
      expect((await db.query(`SELECT 1 FROM access_log WHERE ${HOLDS} AND ${AT} = cardinality(hashes)`, [alice.userId, 12])).length).toBe(1);
      await db.query(`UPDATE access_log SET ${ARRAYS.map((name) => `${name} = ${name}[:${AT} - 1] || ${name}[${AT} + 1:]`).join(", ")} WHERE ${HOLDS}`, [
        alice.userId,
        12,
      ]);
      const deleted = await verifyWithCli();
      expect(deleted.code).toBe(1);
      expect(deleted.out).toContain("BROKEN at record 12 (SEQ_GAP): record 12 is missing");
      await putBack(saved);
      expect((await verifyWithCli()).code).toBe(0);
    },
    CLI_TIMEOUT_MS * 2,
  );

  it(
    "two records swapped within their row fail at the first of them, and pass again once put back",
    async () => {
      const saved = await rowHolding(15);
      expect((saved["hashes"] as string[]).length).toBe(2);
      await db.query(`UPDATE access_log SET ${ARRAYS.map((name) => `${name} = ARRAY[${name}[2], ${name}[1]]`).join(", ")} WHERE id = $1`, [saved["id"]]);
      const swapped = await verifyWithCli();
      expect(swapped.code).toBe(1);
      expect(swapped.out).toContain("BROKEN at record 15 (HASH_MISMATCH)");
      await putBack(saved);
      expect((await verifyWithCli()).code).toBe(0);
    },
    CLI_TIMEOUT_MS * 2,
  );

  it(
    "the tail cut off after a signed head fails, even with the store's head row moved back to match",
    async () => {
      const head = (await a.gql(HEAD, {}, alice.user)).body.data.accessLogHead;
      expect(head.seq).toBe(36);
      const { hash } = (await db.query<{ hash: string }>(`SELECT hashes[${AT}] AS hash FROM access_log WHERE ${HOLDS}`, [alice.userId, 30]))[0]!;
      await db.query(`UPDATE access_log SET ${ARRAYS.map((name) => `${name} = ${name}[:${AT}]`).join(", ")} WHERE ${HOLDS}`, [alice.userId, 30]);
      await db.query("DELETE FROM access_log WHERE user_id = $1 AND first_seq > 30", [alice.userId]);
      await db.query("UPDATE access_log_heads SET seq = 30, hash = $2 WHERE user_id = $1", [alice.userId, hash]);
      const cut = await verifyWithCli();
      expect(cut.code).toBe(1);
      expect(cut.out).toContain("BROKEN at record 31 (HEAD_MISMATCH)");
      expect(cut.out).toContain("the head the gateway signed at");
    },
    CLI_TIMEOUT_MS,
  );
});
