/**
 * The event log on real PostgreSQL, with gateway PROCESSES (issue 14):
 * - a webhook whose transaction commits after a later one started: the later one waits on the
 *   person's head row, so sequence numbers become visible in order and no event is skipped;
 * - instance A accepts a webhook, a subscriber on instance B gets it although no hint can reach B
 *   (B has no Redis): the head check delivers it;
 * - kill -9 of the instance receiving a stream of webhooks: a subscriber resuming from its cursor
 *   on the restarted instance gets every accepted event, once, in order.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { bankEventEntry } from "../../src/realtime/app-event.js";
import { decodeGlobalId } from "../../src/schema/global-id.js";
import type { Database } from "../../src/store/database.js";
import { EventLogRepository } from "../../src/store/event-log-repository.js";
import { migrate } from "../../src/store/migrate.js";
import { openPostgres } from "../../src/store/postgres.js";
import { startChildGateway, stopChildGateway, type ChildGateway } from "../support/child-gateway.js";
import { testDatabaseUrl } from "../support/databases.js";
import { startTestGateway, TEST_ANCHOR, type TestGateway, type TestUser } from "../support/gateway.js";
import { bankEvent, collect, targetWebhooks } from "./realtime-support.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const FROM_START = Buffer.from("ev1:0").toString("base64url");
const POSTED = "subscription P($after: String) { transactionPosted(after: $after) { amount { amount } } }";

let cluster: MockCluster;
let db: Database;
let schema: string;
let a: TestGateway;
let childEnv: Record<string, string>;
const children: ChildGateway[] = [];

const eventOf = (result: { extensions?: unknown }) => (result.extensions as { event: { eventId: string; cursor: string } }).event;

function clientOf(port: number, token: string): Client {
  return createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
}

async function child(): Promise<ChildGateway> {
  const started = await startChildGateway(childEnv);
  children.push(started);
  return started;
}

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: ["chase"] });
  schema = `bankgraph_ev_${randomBytes(5).toString("hex")}`;
  db = await openPostgres(testDatabaseUrl, { schema, max: 4, applicationName: "bankgraph-events-a" });
  await migrate(db);
  a = await startTestGateway({ cluster, db, env: { REDIS_URL, EVENT_HEAD_CHECK_MS: "100" } });
  const url = new URL(testDatabaseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  // No REDIS_URL: hints published by A never reach a child; only the head check (every 100 ms) does.
  childEnv = {
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: url.toString(),
    BANK_URLS: JSON.stringify(cluster.urls),
    DEMO_DATA: "false",
    LOG_LEVEL: "info",
    EVENT_HEAD_CHECK_MS: "100",
  };
  await targetWebhooks(cluster.adminUrl, a.gateway);
}, 120_000);

afterAll(async () => {
  for (const c of children) await stopChildGateway(c);
  await a?.close();
  await cluster?.close();
  try {
    await db?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await db?.close();
  }
});

async function chaseUser(prefix: string, scopes: string[]): Promise<TestUser> {
  const user = await a.newUser(prefix, ["chase"]);
  await a.grant(user, "chase", scopes);
  return user;
}

describe("the event log on PostgreSQL", () => {
  it("a transaction that took its sequence number first and commits last: the later webhook waits, nothing is skipped", async () => {
    const user = await chaseUser("reverse", ["accounts:read", "balances:read"]);
    const client = clientOf(a.gateway.port, user.app);
    const sub = collect(client, "subscription B($after: String) { balanceUpdated(after: $after) { balance { current { amount } } } }", { after: FROM_START });
    const linkId = decodeGlobalId(user.links["chase"]!)!.parts[0]!;

    // T1: appends for the person (a balance of 1.23) and stays open.
    let commitT1!: () => void;
    const t1Open = new Promise<void>((resolve) => (commitT1 = resolve));
    let t1Appended!: () => void;
    const appended = new Promise<void>((resolve) => (t1Appended = resolve));
    const t1 = db.transaction(async (tx) => {
      const accountId = "held-account";
      const balance = { accountId, current: { amount: "1.23", currency: "USD" }, available: null, limit: null, asOf: new Date() };
      await new EventLogRepository(tx).append(
        bankEventEntry(user.userId, linkId, "chase", { kind: "BALANCE_CHANGED", eventId: randomUUID(), accountId, occurredAt: new Date(), balance }),
        new Date(),
      );
      t1Appended();
      await t1Open;
    });
    await appended;

    // T2: a real webhook for the same person. It must wait for T1's head row lock.
    const t2 = bankEvent(cluster.adminUrl, "chase", { kind: "balance_changed" });
    for (;;) {
      const waiting = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO event_heads%'",
      );
      if (waiting[0]!.n > 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(sub.results).toHaveLength(0);
    commitT1();
    await t1;
    expect((await t2).delivery).toMatchObject({ status: 200, response: { accepted: 1 } });
    const [first, second] = [await sub.nth(1), await sub.nth(2)];
    expect(first.data!.balanceUpdated.balance.current.amount).toBe("1.23");
    expect(second.data!.balanceUpdated.balance.current.amount).not.toBe("1.23");
    expect(sub.results).toHaveLength(2);
    const head = await new EventLogRepository(db).head(user.userId);
    expect(head.seq).toBe(2);
    await client.dispose();
  });

  it("a webhook accepted by A reaches a subscriber on B although no hint reaches B", async () => {
    const b = await child();
    const user = await chaseUser("nohint-b", ["accounts:read", "transactions:read"]);
    const client = clientOf(b.port, user.app);
    const sub = collect(client, POSTED, { after: FROM_START });
    const emitted = await bankEvent(cluster.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 4_242 });
    expect(emitted.delivery.url).toBe(`http://127.0.0.1:${a.gateway.port}/webhooks/chase`);
    expect((await sub.nth(1)).data!.transactionPosted.amount).toEqual({ amount: "-42.42" });
    // Live too (B is following by now): the next one arrives through the head check as well.
    await bankEvent(cluster.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 4_343 });
    expect((await sub.nth(2)).data!.transactionPosted.amount).toEqual({ amount: "-43.43" });
    expect(sub.results).toHaveLength(2);
    await client.dispose();
  }, 120_000);

  it("kill -9 under a stream of webhooks: resuming from the cursor on the restarted instance delivers every accepted event once, in order", async () => {
    const first = await child();
    await targetWebhooks(cluster.adminUrl, first);
    const user = await chaseUser("kill9", ["accounts:read", "transactions:read"]);
    const before = clientOf(first.port, user.app);
    const live = collect(before, POSTED, { after: FROM_START });
    const accepted: string[] = [];
    try {
      for (let i = 1; i <= 12; i++) {
        const amount = `-${i}.00`;
        if (i < 12) {
          const sent = await bankEvent(cluster.adminUrl, "chase", { kind: "transaction_posted", amountMinor: i * 100 });
          expect(sent.delivery.status).toBe(200);
          accepted.push(amount);
          continue;
        }
        // The 12th is in flight when the process dies: it may or may not have committed. If it did not,
        // or its answer was lost, the bank retries it until the restarted instance takes it: accepted either way.
        const inFlight = bankEvent(cluster.adminUrl, "chase", { kind: "transaction_posted", amountMinor: i * 100 });
        await stopChildGateway(first, "SIGKILL");
        await inFlight;
        accepted.push(amount);
      }
      await live.ended;
      const received = live.results
        .filter((r) => r.data)
        .map((r) => ({ id: eventOf(r).eventId, cursor: eventOf(r).cursor, amount: r.data!.transactionPosted.amount.amount }));

      const second = await child();
      await targetWebhooks(cluster.adminUrl, second);
      await cluster.events.idle("chase");
      expect(cluster.events.deliveries("chase").abandoned).toEqual([]);
      for (let i = 13; i <= 15; i++) {
        const sent = await bankEvent(cluster.adminUrl, "chase", { kind: "transaction_posted", amountMinor: i * 100 });
        expect(sent.delivery.status).toBe(200);
        accepted.push(`-${i}.00`);
      }
      const after = received.at(-1)?.cursor ?? FROM_START;
      const resumedClient = clientOf(second.port, user.app);
      const resumed = collect(resumedClient, POSTED, { after });
      const all = [...received];
      const expectedCount = accepted.length - received.length;
      const tail = await resumed.nth(expectedCount);
      expect(tail.errors).toBeUndefined();
      all.push(...resumed.results.map((r) => ({ id: eventOf(r).eventId, cursor: eventOf(r).cursor, amount: r.data!.transactionPosted.amount.amount })));
      // De-duplicated by eventId (the seam delivers none twice anyway), in order, nothing missing.
      const unique = all.filter((e, i) => all.findIndex((o) => o.id === e.id) === i);
      expect(unique).toHaveLength(all.length);
      const amounts = unique.map((e) => e.amount);
      // The in-flight event is there exactly once: committed before the kill, or retried by the bank into the restarted instance.
      expect(amounts).toEqual(accepted);
      await resumedClient.dispose();
    } finally {
      await before.dispose();
      await targetWebhooks(cluster.adminUrl, a.gateway);
    }
  }, 120_000);
});
