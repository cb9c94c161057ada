/**
 * Cache coherence across instances (issue 14, item 6): two gateways on one PostgreSQL schema and
 * one Redis, each with its own upstream cache (TTL one minute). A balance B has cached is never
 * served again after A accepted a bank event for that link: A bumps the link's version in Redis
 * inside the webhook's transaction, and B checks the version before serving an entry.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { openPostgres } from "../../src/store/postgres.js";
import { testDatabaseUrl } from "../support/databases.js";
import { startTestGateway, TEST_ANCHOR, type TestGateway } from "../support/gateway.js";
import { bankEvent, targetWebhooks } from "./realtime-support.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const BALANCES = "{ accounts { id balance { current { amount } } } }";

let cluster: MockCluster;
let db: Database;
let schema: string;
let a: TestGateway;
let b: TestGateway;

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: ["chase"] });
  schema = `bankgraph_cache_${randomBytes(5).toString("hex")}`;
  db = await openPostgres(testDatabaseUrl, { schema, max: 6, applicationName: "bankgraph-cache" });
  await migrate(db);
  const env = { REDIS_URL, UPSTREAM_CACHE_TTL_MS: "60000" };
  a = await startTestGateway({ cluster, db, env });
  b = await startTestGateway({ cluster, db, env });
  await targetWebhooks(cluster.adminUrl, a.gateway);
}, 120_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await cluster?.close();
  try {
    await db?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await db?.close();
  }
});

describe("a cached balance on B after a bank event accepted by A", () => {
  it("is never served: B's next read goes to the bank and shows the change", async () => {
    const user = await a.newUser("coherence", ["chase"]);
    await a.grant(user, "chase", ["accounts:read", "balances:read"]);
    const first = await b.gql(BALANCES, {}, user.app);
    expect(first.body.errors).toBeUndefined();
    const before = first.body.data.accounts[0];

    // Cached on B: a second read does not call the bank.
    b.resetBankCalls();
    expect((await b.gql(BALANCES, {}, user.app)).body.data.accounts[0]).toEqual(before);
    expect(b.bankCalls()["chase"]!.total).toBe(0);

    // A purchase at the bank moves the balance; its webhook reaches A only.
    const posted = await bankEvent(cluster.adminUrl, "chase", { kind: "transaction_posted", accountId: undefined, amountMinor: 2_500 });
    expect(posted.delivery).toMatchObject({ url: `http://127.0.0.1:${a.gateway.port}/webhooks/chase`, status: 200 });
    const after = (await b.gql(BALANCES, {}, user.app)).body.data.accounts.find((x: any) => x.id === before.id);
    expect(Number(after.balance.current.amount)).not.toBe(Number(before.balance.current.amount));
    expect(b.bankCalls()["chase"]!.total).toBeGreaterThan(0);

    // And B caches again from there on.
    b.resetBankCalls();
    expect((await b.gql(BALANCES, {}, user.app)).body.data.accounts.find((x: any) => x.id === before.id)).toEqual(after);
    expect(b.bankCalls()["chase"]!.total).toBe(0);
  });
});
