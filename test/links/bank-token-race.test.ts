/**
 * Two gateway instances on one PostgreSQL schema race on an expired bank token: both answer, and
 * the bank saw exactly one refresh — the second instance waits on the link's row lock and takes the
 * rotated token the first stored, instead of spending the (already rotated) refresh token again.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { ManualClock } from "../../src/clock.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { openPostgres } from "../../src/store/postgres.js";
import { testDatabaseUrl } from "../support/databases.js";
import { startTestGateway, TEST_ANCHOR, type TestGateway } from "../support/gateway.js";

const BANKS = ["chase", "citi", "wells_fargo"];

let cluster: MockCluster;
let schema: string;
let dbA: Database;
let dbB: Database;
let a: TestGateway;
let b: TestGateway;

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: BANKS });
  schema = `bankgraph_test_${randomBytes(6).toString("hex")}`;
  // Each instance has its own connection pool, as two processes would.
  dbA = await openPostgres(testDatabaseUrl, { schema, max: 4, applicationName: "bankgraph-test-a" });
  await migrate(dbA);
  dbB = await openPostgres(testDatabaseUrl, { schema, max: 4, applicationName: "bankgraph-test-b" });
  a = await startTestGateway({ cluster, db: dbA });
  b = await startTestGateway({ cluster, db: dbB });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await dbB?.close();
  await dbA?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await dbA?.close();
  await cluster?.close();
});

it.each(BANKS)("%s: both instances answer, the bank saw exactly one refresh", async (bank) => {
  // Linked through B: the banks know the callback of the instance that registered last.
  const user = await b.newUser("race", [bank]);
  await b.grant(user, bank, ["accounts:read", "balances:read"]);
  const expected = cluster.bank(bank).data.accountsOf("alice").length;
  await fetch(`${cluster.adminUrl}/banks/${bank}/tokens/expire`, { method: "POST" });
  const before = cluster.bank(bank).tokenCallCounts()["refresh_token"] ?? 0;
  const query = `{ accounts { id balance { current { amount } } } }`;
  const [fromA, fromB] = await Promise.all([a.gql(query, {}, user.app), b.gql(query, {}, user.app)]);
  for (const answer of [fromA, fromB]) {
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.accounts).toHaveLength(expected);
  }
  expect((cluster.bank(bank).tokenCallCounts()["refresh_token"] ?? 0) - before).toBe(1);
  // The rotated pair is stored once: the next reads on either instance need no refresh at all.
  await Promise.all([a.gql(query, {}, user.app), b.gql(query, {}, user.app)]);
  expect((cluster.bank(bank).tokenCallCounts()["refresh_token"] ?? 0) - before).toBe(1);
});

it("both instances moving past the token's expiry at once: one refresh", async () => {
  const user = await b.newUser("race-clock", ["wells_fargo"]);
  await b.grant(user, "wells_fargo", ["accounts:read"]);
  const before = cluster.bank("wells_fargo").tokenCallCounts()["refresh_token"] ?? 0;
  for (const instance of [a, b]) (instance.clock as ManualClock).advance(301_000);
  const [fromA, fromB] = await Promise.all([a.gql(`{ accounts { id } }`, {}, user.app), b.gql(`{ accounts { id } }`, {}, user.app)]);
  expect(fromA.body.errors).toBeUndefined();
  expect(fromB.body.errors).toBeUndefined();
  expect((cluster.bank("wells_fargo").tokenCallCounts()["refresh_token"] ?? 0) - before).toBe(1);
});
