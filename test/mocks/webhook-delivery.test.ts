/**
 * How the mock banks deliver webhooks, against a plain receiver over real HTTP: a failed delivery
 * is retried with growing waits, later events wait behind it (the receiver sees the bank's
 * order), a 4xx refusal is final, and once the retry window has passed the bank gives up — and
 * still lists the event in its "events since" endpoint, signed with the webhook secret, in each
 * bank's own style.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { MOCK_BANKS } from "../../mocks/registry.js";
import { feedRequestText, signWebhookBody } from "../../mocks/events/webhook-signing.js";
import { TEST_ANCHOR } from "../support/gateway.js";

/** One POST as the receiver saw it. */
interface Received {
  bank: string;
  body: Record<string, unknown>;
  at: number;
}

/** A receiver whose answer the test sets; it records every delivery attempt. */
class Receiver {
  readonly received: Received[] = [];
  answer: (attempt: Received) => number = () => 200;
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const attempt = {
          bank: req.url!.split("/").pop()!,
          body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>,
          at: performance.now(),
        };
        this.received.push(attempt);
        res.writeHead(this.answer(attempt), { "content-type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const WF = "wells_fargo";
const sequenceOf = (body: Record<string, unknown>) => body["sequence"] as number;

let receiver: Receiver;
let cluster: MockCluster;
beforeAll(async () => {
  receiver = new Receiver();
  const webhookUrl = await receiver.start();
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, webhookUrl, webhookRetry: { windowMs: 1_500, firstDelayMs: 40, maxDelayMs: 400 } });
});
afterAll(async () => {
  await cluster?.close();
  await receiver?.close();
});
afterEach(() => {
  receiver.received.length = 0;
  receiver.answer = () => 200;
});

describe("retries", () => {
  it("retries a failed delivery with growing waits, holding later events behind it, so the receiver sees them in the bank's order", async () => {
    let failures = 3;
    receiver.answer = () => (failures-- > 0 ? 503 : 200);
    const first = await cluster.events.emit(WF, { kind: "balance_changed" });
    expect(first.delivery).toMatchObject({ status: 503, attempts: 1, outcome: "retrying" });
    const second = await cluster.events.emit(WF, { kind: "transaction_pending" });
    const third = await cluster.events.emit(WF, { kind: "fraud_alert" });
    expect(second.delivery.outcome).toBe("queued");
    expect(third.delivery.outcome).toBe("queued");
    await cluster.events.idle(WF);

    const sequences = receiver.received.map((r) => sequenceOf(r.body));
    expect(sequences).toEqual([first.sequence, first.sequence, first.sequence, first.sequence, second.sequence, third.sequence]);
    expect([second.sequence, third.sequence]).toEqual([first.sequence + 1, first.sequence + 2]);
    // Exponential backoff with equal jitter: the n-th retry waits at least half of 40 ms · 2^(n-1).
    const waits = receiver.received.slice(1, 4).map((r, i) => r.at - receiver.received[i]!.at);
    waits.forEach((wait, i) => expect(wait).toBeGreaterThanOrEqual((40 * 2 ** i) / 2 - 5));
    expect(cluster.events.deliveries(WF)).toMatchObject({ abandoned: [], waiting: 0 });
  });

  it("does not retry a 4xx refusal, and the next event goes on", async () => {
    receiver.answer = (attempt) => (sequenceOf(attempt.body) % 2 === 1 ? 400 : 200);
    const refusedBefore = cluster.events.deliveries(WF).refused;
    const one = await cluster.events.emit(WF, { kind: "balance_changed" });
    const two = await cluster.events.emit(WF, { kind: "balance_changed" });
    await cluster.events.idle(WF);
    const outcomes = Object.fromEntries([one, two].map((e) => [e.sequence % 2 === 1 ? "odd" : "even", e.delivery.outcome]));
    expect(outcomes).toEqual({ odd: "refused", even: "delivered" });
    expect(receiver.received).toHaveLength(2);
    expect(cluster.events.deliveries(WF).refused).toBe(refusedBefore + 1);
  });

  it("gives up once the retry window has passed; the event stays listed in the bank's events since", async () => {
    receiver.answer = () => 503;
    const lost = await cluster.events.emit(WF, { kind: "transaction_posted" });
    const alsoLost = await cluster.events.emit(WF, { kind: "balance_changed" });
    await cluster.events.idle(WF);
    expect(cluster.events.deliveries(WF).abandoned.slice(-2)).toEqual([lost.event.id, alsoLost.event.id]);

    const listed = await eventsSince(WF, lost.sequence - 1);
    expect(listed.status).toBe(200);
    expect((listed.body["events"] as Record<string, unknown>[]).map((e) => [e["event_id"], e["sequence"]])).toEqual([
      [lost.event.id, lost.sequence],
      [alsoLost.event.id, alsoLost.sequence],
    ]);
  });
});

/** A signed "events since" request, as the gateway makes it. */
async function eventsSince(bankId: string, since: number | string, sign = true): Promise<{ status: number; body: Record<string, unknown> }> {
  const format = MOCK_BANKS.find((b) => b.id === bankId)!.events!;
  const target = `${format.feed.path}?${format.feed.sinceParam}=${since}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = sign
    ? { [format.timestampHeader]: timestamp, [format.signatureHeader]: signWebhookBody(cluster.bank(bankId).webhookSecret, timestamp, feedRequestText(target)) }
    : {};
  const response = await fetch(`${cluster.urls[bankId]}${target}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.each(MOCK_BANKS.filter((b) => b.events).map((b) => b.id))("events since at %s", (bankId) => {
  it("lists the deliveries numbered after n, oldest first, the same bodies the webhooks carried", async () => {
    const format = MOCK_BANKS.find((b) => b.id === bankId)!.events!;
    const a = await cluster.events.emit(bankId, { kind: "balance_changed" });
    const b = await cluster.events.emit(bankId, { kind: "transaction_pending" });
    await cluster.events.idle(bankId);
    const delivered = receiver.received.filter((r) => r.bank === bankId).map((r) => r.body);

    const listed = await eventsSince(bankId, a.sequence);
    expect(listed.status).toBe(200);
    expect(listed.body[format.feed.listKey]).toEqual(delivered.slice(1));
    const both = await eventsSince(bankId, a.sequence - 1);
    expect(both.body[format.feed.listKey]).toEqual(delivered);
    const sequenceAt = (body: unknown) => format.feed.sequencePath.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], body);
    expect(delivered.map(sequenceAt)).toEqual([a.sequence, b.sequence]);
  });

  it("refuses a request not signed with the webhook secret (401) and a since that is not a number (400)", async () => {
    const format = MOCK_BANKS.find((b) => b.id === bankId)!.events!;
    expect((await eventsSince(bankId, 0, false)).status).toBe(401);
    const forged = await fetch(`${cluster.urls[bankId]}${format.feed.path}?${format.feed.sinceParam}=0`, {
      headers: { [format.timestampHeader]: String(Math.floor(Date.now() / 1000)), [format.signatureHeader]: "0".repeat(64) },
    });
    expect(forged.status).toBe(401);
    expect((await eventsSince(bankId, "-1")).status).toBe(400);
    expect((await eventsSince(bankId, "one")).status).toBe(400);
  });
});
