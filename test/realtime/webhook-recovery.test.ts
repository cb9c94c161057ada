/**
 * Bank webhooks survive a gateway outage (issue 14 item 5), over real HTTP with the real store:
 * the mock bank retries a failed delivery with backoff and keeps its events in order; what it
 * gave up on (its retry window passed) the gateway pulls from the bank's "events since" — when a
 * later delivery's number shows the gap, and when the gateway starts. A subscriber resuming from
 * its cursor sees every event exactly once, in the bank's order. The outage is a front door
 * (webhook-front.ts) that answers 503 while the gateway is "away".
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { Database } from "../../src/store/database.js";
import { startTestGateway, TEST_ANCHOR, type TestGateway, type TestUser } from "../support/gateway.js";
import { openPgliteClone } from "../support/pglite-template.js";
import { bankEvent, closeClient, collect, subscribersReady, wsClient, type Collected } from "./realtime-support.js";
import { WebhookFront } from "./webhook-front.js";

const BANK = "amex";
const POSTED = "subscription Posted($after: String) { transactionPosted(after: $after) { amount { amount } } }";

let cluster: MockCluster;
let front: WebhookFront;
let db: Database;
let t: TestGateway;
let user: TestUser;
/** The cursor of the last event the subscriber handled. */
let cursor: string | null = null;

beforeAll(async () => {
  // Short retries so the bank gives up within the test; the order and backoff rules are the production ones.
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: [BANK], webhookRetry: { windowMs: 1_500, firstDelayMs: 40, maxDelayMs: 300 } });
  front = new WebhookFront();
  cluster.events.setWebhookTarget(await front.start());
  db = await openPgliteClone();
  t = await startTestGateway({ cluster, db });
  front.pointAt(t.gateway);
  user = await t.newUser("outage", [BANK]);
  await t.grant(user, BANK, ["accounts:read", "transactions:read"]);
});
afterAll(async () => {
  await t?.close();
  await cluster?.close();
  await front?.close();
  await db?.close();
});

const posted = (amountMinor: number) => bankEvent(cluster.adminUrl, BANK, { kind: "transaction_posted", amountMinor });
const amountOf = (result: { data?: { transactionPosted: { amount: { amount: string } } } | null }) => result.data!.transactionPosted.amount.amount;
const eventOf = (result: { extensions?: unknown }) => (result.extensions as { event: { eventId: string; cursor: string } }).event;

/** Subscribes from the last handled cursor; the caller reads `expected` results, then `close` keeps the new cursor. */
async function resume(): Promise<{ sub: Collected; close: (handled: number) => Promise<void> }> {
  const client = wsClient(t.gateway, user.app);
  const sub = collect(client, POSTED, { after: cursor });
  await subscribersReady(t.gateway, user.userId);
  return {
    sub,
    async close(handled) {
      cursor = eventOf(sub.results[handled - 1]!).cursor;
      await closeClient(client, t.gateway, user.userId);
    },
  };
}

/** Reads `n` results and proves nothing else came before them: the next live event is result n + 1. */
async function exactly(sub: Collected, n: number, probeAmountMinor: number): Promise<string[]> {
  await sub.nth(n, 30_000);
  await posted(probeAmountMinor);
  const probe = await sub.nth(n + 1, 30_000);
  expect(amountOf(probe)).toBe((-probeAmountMinor / 100).toFixed(2));
  expect(sub.results).toHaveLength(n + 1);
  const ids = sub.results.map((r) => eventOf(r).eventId);
  expect(new Set(ids).size).toBe(ids.length);
  return sub.results.slice(0, n).map(amountOf);
}

describe("a gateway outage shorter than the bank's retry window", () => {
  it("the bank retries with backoff and delivers everything once, in order, when the gateway is back", async () => {
    const live = await resume();
    await posted(1_000);
    expect(amountOf(await live.sub.nth(1))).toBe("-10.00");
    await live.close(1);

    front.pointAt(undefined);
    const first = await posted(2_000);
    expect(first.delivery).toMatchObject({ status: 503, outcome: "retrying" });
    expect((await posted(3_000)).delivery.outcome).toBe("queued");
    expect((await posted(4_000)).delivery.outcome).toBe("queued");
    await front.turnedAwayAtLeast(3); // the first attempt and two retries of the oldest event
    front.pointAt(t.gateway);
    await cluster.events.idle(BANK);
    expect(cluster.events.deliveries(BANK)).toMatchObject({ abandoned: [], waiting: 0 });

    const back = await resume();
    expect(await exactly(back.sub, 3, 5_000)).toEqual(["-20.00", "-30.00", "-40.00"]);
    await back.close(4);
  });
});

describe("an outage longer than the bank's retry window", () => {
  it("a later delivery shows the gap: the gateway pulls the missed events from the bank first, so the log keeps the bank's order", async () => {
    front.pointAt(undefined);
    const lost = [await posted(6_000), await posted(7_000)];
    await cluster.events.idle(BANK);
    expect(cluster.events.deliveries(BANK).abandoned).toEqual(lost.map((e) => e.event.id));
    front.pointAt(t.gateway);

    const next = await posted(8_000);
    // The missed events and this one were taken from the bank's list before this delivery was handled.
    expect(next.delivery).toMatchObject({ status: 200, outcome: "delivered", response: { accepted: 0, duplicates: 1 } });
    const back = await resume();
    expect(await exactly(back.sub, 3, 9_000)).toEqual(["-60.00", "-70.00", "-80.00"]);
    await back.close(4);
  });

  it("missed while the gateway was down: the next gateway to start pulls them before any delivery arrives", async () => {
    await t.close();
    front.pointAt(undefined);
    const lost = [await posted(10_000), await posted(11_000)];
    await cluster.events.idle(BANK);
    expect(cluster.events.deliveries(BANK).abandoned.slice(-2)).toEqual(lost.map((e) => e.event.id));

    // This instance also reconciles on a timer (the next test), short for the test.
    t = await startTestGateway({ cluster, db, env: { WEBHOOK_RECONCILE_MS: "200" } });
    expect(await t.gateway.services.webhookReconciler.startupRun()).toBe(2);
    front.pointAt(t.gateway);
    const back = await resume();
    expect(await exactly(back.sub, 2, 12_000)).toEqual(["-100.00", "-110.00"]);
    await back.close(3);
  });

  it("missed with no later delivery to show the gap: the periodic reconciliation pulls them", async () => {
    front.pointAt(undefined);
    const lost = [await posted(13_000), await posted(14_000)];
    await cluster.events.idle(BANK);
    expect(cluster.events.deliveries(BANK).abandoned.slice(-2)).toEqual(lost.map((e) => e.event.id));
    front.pointAt(t.gateway);
    // No further event: only the timer (WEBHOOK_RECONCILE_MS) can bring them.
    const back = await resume();
    await back.sub.nth(2, 30_000);
    expect(await exactly(back.sub, 2, 15_000)).toEqual(["-130.00", "-140.00"]);
    await back.close(3);
  });
});
