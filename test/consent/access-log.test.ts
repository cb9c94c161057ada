/**
 * The access log, end to end: every response that carried consent-gated data is preceded by one
 * durable record per (link, scope) — checked in the database the moment the response arrives —
 * users read only their own log, nothing secret is in it, and a read that cannot be recorded
 * returns no data.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.js";
import { openPostgresTestDatabase } from "../support/databases.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { whileAccessLogIsDown } from "../support/access-log-outage.js";
import { SETUP_TIMEOUT_MS, dataOf, linkAs, onlyError } from "./consent-harness.js";

const BANKS = ["chase", "amex"];
const DASHBOARD = `query Dashboard {
  accounts { id mask institution { id } balance { current { amount } } owner { name } transactions(first: 2) { nodes { id } } }
}`;
const ACCESS_LOG = `query Log($first: Int!, $after: String) {
  accessLog(first: $first, after: $after) {
    nodes { id at clientId institutionId linkId consentId scope purpose operationName requestId }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The local (database) ID inside a global ID: its last part. */
const localId = (globalId: string): string => (JSON.parse(Buffer.from(globalId, "base64url").toString()) as string[]).at(-1)!;

interface LogRow {
  user_id: string;
  client_id: string;
  link_id: string;
  institution_id: string;
  consent_id: string | null;
  scope: string;
  purpose: string;
  operation_name: string | null;
  request_id: string;
}

let t: TestGateway;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: BANKS } });
  alice = await t.newUser("log-a", BANKS);
  await t.grant(alice, "chase", ["accounts:read", "balances:read", "identity:read"]);
  await t.grant(alice, "amex", ["accounts:read", "transactions:read"]);
  bob = await t.newUser("log-b", []);
  await linkAs(t, bob, "chase", "bob");
  await t.grant(bob, "chase", ["accounts:read", "balances:read"]);
}, SETUP_TIMEOUT_MS);
afterAll(() => t?.close());

/** The stored records, one per (row, index): a row holds one request's records in parallel arrays (migration 020). */
const RECORDS = `SELECT a.id, r.ord, a.user_id, a.client_id, r.link_id::text AS link_id, r.institution_id, r.consent_id::text AS consent_id, r.scope, r.purpose,
    a.operation_name, a.request_id
  FROM access_log AS a, unnest(a.link_ids, a.institution_ids, a.consent_ids, a.scopes, a.purposes) WITH ORDINALITY AS r(link_id, institution_id, consent_id, scope, purpose, ord)`;

function rowsFor(requestId: string): Promise<LogRow[]> {
  return t.gateway.services.db.query<LogRow>(
    `SELECT user_id, client_id, link_id, institution_id, consent_id, scope, purpose, operation_name, request_id
     FROM (${RECORDS}) AS record WHERE request_id = $1 ORDER BY institution_id, scope`,
    [requestId],
  );
}

/** A user's records as the store holds them, newest first, each named by (request, link, scope). */
async function storedRecords(userId: string): Promise<string[]> {
  const rows = await t.gateway.services.db.query<LogRow>(`${RECORDS} WHERE a.user_id = $1 ORDER BY a.id DESC, r.ord DESC`, [userId]);
  return rows.map((r) => `${r.request_id} ${r.link_id} ${r.scope}`);
}
/** The same names for `accessLog` nodes. */
const recordsOf = (nodes: any[]): string[] => nodes.map((n) => `${n.requestId} ${localId(n.linkId)} ${n.scope}`);

async function fullLog(token: string): Promise<any[]> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const page: any = dataOf(await t.gql(ACCESS_LOG, { first: 100, after }, token), "accessLog").accessLog;
    nodes.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

describe("what a read puts on the record", () => {
  it("one record per (link, scope) actually read, durable before the response arrives, with consent, client, purpose, operation and request id", async () => {
    const requestId = `req-${randomUUID()}`;
    const response = await t.gql(DASHBOARD, {}, alice.app, { "x-request-id": requestId });
    expect(response.headers.get("x-request-id")).toBe(requestId);
    expect(response.body.data.accounts.length).toBeGreaterThan(0);

    // Straight to the database, before anything else: the rows must already be committed.
    const row = (institution: string, scope: string): LogRow => ({
      user_id: alice.userId,
      client_id: "messenger-test",
      link_id: localId(alice.links[institution]!),
      institution_id: institution,
      consent_id: localId(alice.consents[institution]!),
      scope,
      purpose: "ACCOUNT_OVERVIEW",
      operation_name: "Dashboard",
      request_id: requestId,
    });
    // Withheld scopes (chase transactions, amex balance and owner) were not read, so are not logged.
    expect(await rowsFor(requestId)).toEqual([
      row("amex", "accounts:read"),
      row("amex", "transactions:read"),
      row("chase", "accounts:read"),
      row("chase", "balances:read"),
      row("chase", "identity:read"),
    ]);

    const mine = (await fullLog(alice.user)).filter((n) => n.requestId === requestId);
    expect(mine.map((n) => [n.institutionId, n.scope, n.linkId, n.consentId, n.clientId, n.purpose, n.operationName]).sort()).toEqual(
      [
        ["amex", "accounts:read"],
        ["amex", "transactions:read"],
        ["chase", "accounts:read"],
        ["chase", "balances:read"],
        ["chase", "identity:read"],
      ].map(([bank, scope]) => [bank, scope, alice.links[bank!], alice.consents[bank!], "messenger-test", "ACCOUNT_OVERVIEW", "Dashboard"]),
    );
  });

  it("a response without consent-gated data writes nothing", async () => {
    const requestId = `req-${randomUUID()}`;
    const response = await t.gql(`query Plain { links { id status } institutions { id } consents { id status } }`, {}, alice.app, {
      "x-request-id": requestId,
    });
    expect(response.body.errors).toBeUndefined();
    expect(await rowsFor(requestId)).toEqual([]);
  });

  it("a response whose gated fields were all withheld writes nothing", async () => {
    const stranger = await t.newUser("log-c", ["chase"]);
    const requestId = `req-${randomUUID()}`;
    const response = await t.gql(`query Denied { links { accounts { id } } accounts { id } }`, {}, stranger.app, { "x-request-id": requestId });
    expect(response.body.data).toEqual({ links: [{ accounts: null }], accounts: [] });
    expect(await rowsFor(requestId)).toEqual([]);
  });

  it("an unusable x-request-id is replaced by a generated one, echoed and logged", async () => {
    const response = await t.gql(DASHBOARD, {}, alice.app, { "x-request-id": "bad id; DROP TABLE access_log" });
    const generated = response.headers.get("x-request-id")!;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect((await rowsFor(generated)).length).toBe(5);
  });
});

describe("who reads the log", () => {
  it("each user reads exactly their own log, newest first, across pages", async () => {
    const bobRequest = `req-${randomUUID()}`;
    dataOf(await t.gql(`query BobReads { accounts { id balance { current { amount } } } }`, {}, bob.app, { "x-request-id": bobRequest }), "bob reads");
    expect((await rowsFor(bobRequest)).map((r) => [r.user_id, r.scope])).toEqual([
      [bob.userId, "accounts:read"],
      [bob.userId, "balances:read"],
    ]);

    const bobLog = await fullLog(bob.user);
    expect(recordsOf(bobLog)).toEqual(await storedRecords(bob.userId));
    expect(new Set(bobLog.map((n) => n.id)).size).toBe(bobLog.length);
    expect(new Set(bobLog.map((n) => n.linkId))).toEqual(new Set([bob.links["chase"]]));

    const aliceLog = await fullLog(alice.user);
    expect(recordsOf(aliceLog)).toEqual(await storedRecords(alice.userId));
    expect(new Set(aliceLog.map((n) => n.id)).size).toBe(aliceLog.length);
    expect(aliceLog.some((n) => n.requestId === bobRequest)).toBe(false);

    // Two at a time: the pages join up to the whole log, without overlap.
    const paged: any[] = [];
    let after: string | null = null;
    do {
      const page: any = dataOf(await t.gql(ACCESS_LOG, { first: 2, after }, alice.user), "page").accessLog;
      expect(page.nodes.length).toBeLessThanOrEqual(2);
      paged.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(aliceLog);
  });

  it("an app token cannot read the log (FORBIDDEN)", async () => {
    const response = await t.gql(ACCESS_LOG, { first: 10 }, alice.app);
    expect(response.body.data).toBeNull();
    expect(onlyError(response).extensions?.["code"]).toBe("FORBIDDEN");
  });
});

it("no token, password or full account number is in the log or in the response", async () => {
  const response = await t.gql(DASHBOARD, {}, alice.app);
  const secrets = [alice.app, alice.user, bob.app, bob.user, "pass_good"];
  const links = await t.gateway.services.db.query<{ access_token_ciphertext: string | null }>("SELECT access_token_ciphertext FROM links");
  for (const { access_token_ciphertext: ciphertext } of links) {
    if (ciphertext) secrets.push(ciphertext, t.gateway.services.cipher.decrypt(ciphertext));
  }
  for (const bank of BANKS) {
    for (const customer of ["alice", "bob"])
      secrets.push(
        ...t.mocks
          .bank(bank)
          .data.accountsOf(customer)
          .map((a) => a.number),
      );
  }
  expect(secrets.length).toBeGreaterThan(10);

  const rows = await t.gateway.services.db.query<{ row: string }>("SELECT row_to_json(a)::text AS row FROM access_log a");
  expect(rows.length).toBeGreaterThan(0);
  const log = rows.map((r) => r.row).join("\n");
  const body = JSON.stringify(response.body);
  for (const secret of secrets) {
    expect(log.includes(secret), `log contains ${secret.slice(0, 6)}…`).toBe(false);
    expect(body.includes(secret), `response contains ${secret.slice(0, 6)}…`).toBe(false);
  }
  // Masks are what the app gets instead: the last four digits.
  for (const account of response.body.data.accounts) expect(account.mask).toMatch(/^\d{4}$/);
});

it("when the record cannot be written, the response carries no data", async () => {
  const requestId = `req-${randomUUID()}`;
  await whileAccessLogIsDown(t.gateway.services.db, async () => {
    const response = await t.gql(DASHBOARD, {}, alice.app, { "x-request-id": requestId });
    expect(response.status).toBe(503);
    expect(Object.keys(response.body)).toEqual(["errors"]);
    expect(onlyError(response).extensions).toEqual({ code: "INTERNAL_SERVER_ERROR" });
    expect(await rowsFor(requestId)).toEqual([]);
    // Reads that touch no consent-gated data don't need the log.
    const plain = await t.gql(`{ institutions { id } }`, {}, alice.app);
    expect(plain.body).toEqual({ data: { institutions: BANKS.map((id) => ({ id })) } });
  });
  const again = `req-${randomUUID()}`;
  const response = await t.gql(DASHBOARD, {}, alice.app, { "x-request-id": again });
  expect(response.body.data.accounts.length).toBeGreaterThan(0);
  expect((await rowsFor(again)).length).toBe(5);
});

describe("on PostgreSQL, with a slow log write", () => {
  // PGlite has one connection, so a check there would queue behind the write and can't tell
  // "committed before the response" from "committed soon after". PostgreSQL can.
  let db: Database;
  let pg: TestGateway;
  let carol: TestUser;

  beforeAll(async () => {
    db = await openPostgresTestDatabase();
    pg = await startTestGateway({ db, mocks: { banks: ["chase"] } });
    carol = await pg.newUser("log-pg", ["chase"]);
    await pg.grant(carol, "chase", ["accounts:read", "balances:read"]);
    await db.exec(`
      CREATE FUNCTION access_log_slow() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
      CREATE TRIGGER access_log_slow AFTER INSERT ON access_log FOR EACH STATEMENT EXECUTE FUNCTION access_log_slow();
    `);
  });
  afterAll(async () => {
    await pg?.close();
    await db?.close();
  });

  it("the records are committed before the response arrives", async () => {
    const requestId = `req-${randomUUID()}`;
    const response = await pg.gql(`query Slow { accounts { id balance { current { amount } } } }`, {}, carol.app, { "x-request-id": requestId });
    expect(response.body.data.accounts.length).toBeGreaterThan(0);
    const rows = await db.query<{ scope: string }>("SELECT scope FROM access_log, unnest(scopes) AS scope WHERE request_id = $1 ORDER BY scope", [requestId]);
    expect(rows).toEqual([{ scope: "accounts:read" }, { scope: "balances:read" }]);
  });
});
