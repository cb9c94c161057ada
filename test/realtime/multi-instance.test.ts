/**
 * Two gateway PROCESSES sharing real PostgreSQL (one schema) and real Redis: A runs in this test
 * process, B is `bankgraph serve` in a child process. A webhook received by A reaches a subscriber
 * connected to B, exactly once; subscribers on both get one copy each; a replay sent to B of an
 * event A accepted is recognised; a consent's expiry is announced once although both sweep.
 * "Once" is proven without sleeping: after the event under test is published, a sentinel event
 * follows, and it must be the next thing to arrive (a subscription takes its messages in order).
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { openPostgres } from "../../src/store/postgres.js";
import { startChildGateway, stopChildGateway, type ChildGateway } from "../support/child-gateway.js";
import { testDatabaseUrl } from "../support/databases.js";
import { startTestGateway, TEST_ANCHOR, type TestGateway } from "../support/gateway.js";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { bankEvent, collect, eventsPublished, redeliver, subscribersReady, targetWebhooks } from "./realtime-support.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const CHANNEL_PREFIX = "bankgraph:realtime:";

let cluster: MockCluster;
let db: Database;
let schema: string;
let a: TestGateway;
let b: ChildGateway;
let redis: Redis;

/** A graphql-ws client of instance B. */
function clientOfB(token: string): Client {
  return createClient({
    url: `ws://127.0.0.1:${b.port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
}

/** Waits until `count` connections (across instances) have SUBSCRIBEd the user's Redis channel. */
async function redisSubscribers(userId: string, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [, n] = (await redis.pubsub("NUMSUB", `${CHANNEL_PREFIX}user:${userId}`)) as [string, number];
    if (Number(n) >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${n} instance(s) subscribed for ${userId}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: ["chase", "amex"] });
  schema = `bankgraph_rt_${randomBytes(5).toString("hex")}`;
  db = await openPostgres(testDatabaseUrl, { schema, max: 4, applicationName: "bankgraph-test-a" });
  await migrate(db);
  const env = { REDIS_URL, CONSENT_EXPIRY_SWEEP_MS: "100" };
  a = await startTestGateway({ cluster, db, env });
  const url = new URL(testDatabaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  b = await startChildGateway({
    ...env,
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: url.toString(),
    BANK_URLS: JSON.stringify(cluster.urls),
    DEMO_DATA: "false",
    LOG_LEVEL: "info",
  });
  // Every webhook goes to instance A unless a test says otherwise.
  await targetWebhooks(cluster.adminUrl, a.gateway);
}, 120_000);

afterAll(async () => {
  await stopChildGateway(b);
  await a?.close();
  await cluster?.close();
  try {
    await db?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await db?.close();
    redis?.disconnect();
  }
});

describe("two gateway processes, one PostgreSQL, one Redis", () => {
  it("a webhook received by A reaches a subscriber on B, exactly once", async () => {
    const user = await a.newUser("two-b", ["chase"]);
    await a.grant(user, "chase", ["accounts:read", "transactions:read"]);
    const client = clientOfB(user.app);
    const sub = collect(client, "subscription { transactionPosted { id amount { amount } } }");
    await redisSubscribers(user.userId, 1);
    expect(a.gateway.services.realtime.pubsub.subscriberCount(`user:${user.userId}`)).toBe(0);

    const emitted = await bankEvent(cluster.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 4_321 });
    expect(emitted.delivery.url).toBe(`http://127.0.0.1:${a.gateway.port}/webhooks/chase`);
    expect((await sub.nth(1)).data!.transactionPosted.amount).toEqual({ amount: "-43.21" });
    await eventsPublished(a.gateway);
    await bankEvent(cluster.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 1_234 });
    expect((await sub.nth(2)).data!.transactionPosted.amount).toEqual({ amount: "-12.34" });
    expect(sub.results).toHaveLength(2);
    await client.dispose();
  });

  it("subscribers on A and on B each get the event once", async () => {
    const user = await a.newUser("two-both", ["amex"]);
    await a.grant(user, "amex", ["accounts:read", "balances:read"]);
    const onB = clientOfB(user.app);
    const fromB = collect(onB, "subscription { balanceUpdated { balance { current { amount } } } }");
    const onA = createClient({
      url: `ws://127.0.0.1:${a.gateway.port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${user.app}` },
      retryAttempts: 0,
    });
    const fromA = collect(onA, "subscription { balanceUpdated { balance { current { amount } } } }");
    await subscribersReady(a.gateway, user.userId);
    await redisSubscribers(user.userId, 2);

    await bankEvent(cluster.adminUrl, "amex", { kind: "balance_changed" });
    const [gotA, gotB] = await Promise.all([fromA.nth(1), fromB.nth(1)]);
    expect(gotA).toEqual(gotB);
    // Sentinel: a purchase moves the balance, then the bank announces the new one. Each side's next
    // result must be that new balance, not a second copy of the first.
    await eventsPublished(a.gateway);
    await bankEvent(cluster.adminUrl, "amex", { kind: "transaction_posted", amountMinor: 5_000 });
    await bankEvent(cluster.adminUrl, "amex", { kind: "balance_changed" });
    const [nextA, nextB] = await Promise.all([fromA.nth(2), fromB.nth(2)]);
    expect(nextA).toEqual(nextB);
    expect(nextA.data!.balanceUpdated.balance.current.amount).not.toBe(gotA.data!.balanceUpdated.balance.current.amount);
    expect([fromA.results.length, fromB.results.length]).toEqual([2, 2]);
    await onA.dispose();
    await onB.dispose();
  });

  it("B recognises a replay of an event A accepted (the ledger is shared): 200, nothing delivered", async () => {
    const user = await a.newUser("two-replay", ["chase"]);
    await a.grant(user, "chase", ["accounts:read", "transactions:read"]);
    const client = clientOfB(user.app);
    const sub = collect(client, "subscription { transactionPosted { amount { amount } } }");
    await redisSubscribers(user.userId, 1);
    const first = await bankEvent(cluster.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 1_111 });
    await sub.nth(1);

    await targetWebhooks(cluster.adminUrl, b);
    try {
      const replay = await redeliver(cluster.adminUrl, "chase", first.event.id);
      expect(replay).toMatchObject({ url: `http://127.0.0.1:${b.port}/webhooks/chase`, status: 200, response: { accepted: 0, duplicates: 1 } });
      await bankEvent(cluster.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 2_222 });
      expect((await sub.nth(2)).data!.transactionPosted.amount).toEqual({ amount: "-22.22" });
      expect(sub.results.map((r) => r.data!.transactionPosted.amount.amount)).toEqual(["-11.11", "-22.22"]);
    } finally {
      await targetWebhooks(cluster.adminUrl, a.gateway);
      await client.dispose();
    }
  });

  it("both instances sweep, the expiring consent is announced once", async () => {
    const user = await a.newUser("two-expiry", ["amex", "chase"]);
    const onB = clientOfB(user.app);
    const expiring = collect(onB, "subscription { consentExpiring { id } }");
    await redisSubscribers(user.userId, 1);
    // Five days from now: due at once on both instances' sweeps (every 100 ms).
    const consentId = await a.grant(user, "amex", ["accounts:read"], { durationDays: 5 });
    expect((await expiring.nth(1)).data!.consentExpiring.id).toBe(consentId);
    // A sweep of A's that starts now finds it claimed; and the next announcement B delivers is a
    // second consent (the sentinel), not the first one again.
    await a.gateway.services.realtime.consentExpiry.sweep();
    expect(await a.gateway.services.realtime.consentExpiry.sweep()).toBe(0);
    const sentinel = await a.grant(user, "chase", ["accounts:read"], { durationDays: 5 });
    expect((await expiring.nth(2)).data!.consentExpiring.id).toBe(sentinel);
    expect(expiring.results).toHaveLength(2);
    const notices = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM consent_expiry_notices");
    expect(notices[0]!.n).toBe(2);
    await onB.dispose();
  });
});
