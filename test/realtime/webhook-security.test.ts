/**
 * `POST /webhooks/:institution` refuses what a bank did not send, now: a bad signature, a
 * timestamp more than 5 minutes off, missing headers, an unknown institution, a body in no
 * bank's format — and accepts a replayed event id with 200 but publishes nothing, also after a
 * restart on the same data directory. Every refusal changes nothing and publishes nothing.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { defaultMockWebhookSecret, signWebhookBody } from "../../mocks/events/webhook-signing.js";
import { seedDataDir } from "../support/pglite-template.js";
import { startTestGateway, TEST_ANCHOR, type TestGateway, type TestUser } from "../support/gateway.js";
import { bankEvent, closeClient, collect, eventsPublished, redeliver, subscribersReady, targetWebhooks, wsClient } from "./realtime-support.js";
import { wellsFargoBalanceEvent } from "./wells-fargo-balance-event.js";

const WF = "wells_fargo";

interface Delivery {
  body?: string;
  timestamp?: string;
  signature?: string;
  secret?: string;
  institution?: string;
  headers?: Record<string, string>;
}

describe("signatures, timestamps and formats", () => {
  let t: TestGateway;
  let user: TestUser;
  let accountId: string;

  beforeAll(async () => {
    t = await startTestGateway({ mocks: { banks: [WF, "chase"] } });
    await targetWebhooks(t.mocks.adminUrl, t.gateway);
    user = await t.newUser("sig", [WF]);
    await t.grant(user, WF, ["accounts:read", "balances:read"]);
    accountId = t.mocks.bank(WF).data.accountsOf("alice")[0]!.id;
  });
  afterAll(() => t?.close());

  const nowSeconds = () => t.clock.now().getTime() / 1000;
  /** A balance event of alice's account dated by Wells Fargo's clock, the clock its own events (bankEvent) carry. */
  const balanceEvent = (cents: number, eventId?: string) => wellsFargoBalanceEvent(accountId, cents, eventId, t.mocks.bank(WF).data.now().getTime());

  /** POSTs a delivery; by default a correctly signed, fresh Wells Fargo balance event. */
  async function deliver(d: Delivery = {}) {
    const body = d.body ?? JSON.stringify(balanceEvent(12_345));
    const timestamp = d.timestamp ?? String(Math.floor(nowSeconds()));
    const signature = d.signature ?? signWebhookBody(d.secret ?? defaultMockWebhookSecret(WF), timestamp, body);
    const response = await fetch(`http://127.0.0.1:${t.gateway.port}/webhooks/${d.institution ?? WF}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-wf-timestamp": timestamp, "x-wf-signature": signature, ...d.headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const recordedEvents = async () => Number((await t.gateway.services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_events"))[0]!.n);

  /**
   * Runs `refused` with a live subscriber, then — once anything accepted is published — a genuine
   * event as sentinel: it must be the first thing to arrive, and nothing is recorded.
   */
  async function expectNothingPublished(refused: () => Promise<void>) {
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, "subscription { balanceUpdated { balance { current { amount } } } }");
    await subscribersReady(t.gateway, user.userId);
    const before = await recordedEvents();
    await refused();
    expect(await recordedEvents()).toBe(before);
    await eventsPublished(t.gateway);
    expect((await deliver()).status).toBe(200);
    expect((await sub.nth(1)).data!.balanceUpdated.balance.current.amount).toBe("123.45");
    expect(sub.results).toHaveLength(1);
    await closeClient(client, t.gateway, user.userId);
  }

  it("accepts a genuine, fresh, signed delivery and publishes it", async () => {
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, "subscription { balanceUpdated { balance { current { amount } } } }");
    await subscribersReady(t.gateway, user.userId);
    expect(await deliver({ body: JSON.stringify(balanceEvent(98_765)) })).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect((await sub.nth(1)).data!.balanceUpdated.balance.current.amount).toBe("987.65");
    await closeClient(client, t.gateway, user.userId);
  });

  it.each([
    [
      "a signature with one character changed",
      (d: Delivery) => ({ signature: flipLastHex(signWebhookBody(defaultMockWebhookSecret(WF), d.timestamp!, d.body!)) }),
    ],
    ["the signature of a different body", (d: Delivery) => ({ signature: signWebhookBody(defaultMockWebhookSecret(WF), d.timestamp!, `${d.body} `) })],
    ["another bank's secret", () => ({ secret: defaultMockWebhookSecret("chase") })],
    ["a signature over the body without the timestamp", (d: Delivery) => ({ signature: signWebhookBody(defaultMockWebhookSecret(WF), "", d.body!).slice(0) })],
  ])("refuses %s with 401", async (_name, change) => {
    const base: Delivery = { body: JSON.stringify(balanceEvent(1)), timestamp: String(Math.floor(nowSeconds())) };
    await expectNothingPublished(async () => {
      expect(await deliver({ ...base, ...change(base) })).toEqual({ status: 401, body: { error: "Signature does not match" } });
    });
  });

  it("accepts a timestamp exactly 5 minutes old, refuses one 301 seconds old or ahead", async () => {
    expect((await deliver({ timestamp: String(Math.ceil(nowSeconds()) - 300) })).status).toBe(200);
    await expectNothingPublished(async () => {
      for (const timestamp of [Math.floor(nowSeconds()) - 301, Math.ceil(nowSeconds()) + 301, 0]) {
        expect(await deliver({ timestamp: String(timestamp) })).toEqual({
          status: 401,
          body: { error: "Timestamp is more than 5 minutes from the gateway's clock" },
        });
      }
    });
  });

  it.each([
    ["no signature header", { headers: { "x-wf-signature": "" } }],
    ["no timestamp header", { headers: { "x-wf-timestamp": "" } }],
    ["a timestamp that is not Unix seconds", { timestamp: "2026-06-15T00:00:00Z" }],
    ["a signature that is not hex SHA-256", { signature: "sha256=abc" }],
    ["the signature in another bank's header", { headers: { "x-wf-signature": "", "fdx-signature": "00" } }],
  ] as Array<[string, Delivery]>)("refuses %s with 401", async (_name, delivery) => {
    await expectNothingPublished(async () => {
      expect(await deliver(delivery)).toEqual({ status: 401, body: { error: "Missing or malformed signature or timestamp header" } });
    });
  });

  it.each(["hsbc", "__proto__", "constructor", "WELLS_FARGO", "amex"])(
    "answers 404 for institution %s (unknown, or not configured here)",
    async (institution) => {
      expect(await deliver({ institution })).toEqual({ status: 404, body: { error: "No webhooks for this institution" } });
    },
  );

  it.each([
    ["not JSON", "this is not json"],
    [
      "JSON in another bank's format",
      JSON.stringify({ notificationId: "n1", type: "BALANCE_UPDATED", sentOn: "2026-06-15T00:00:00-04:00", notificationPayload: {} }),
    ],
    ["an unknown event type", JSON.stringify({ ...wellsFargoBalanceEvent("acct", 1), event_type: "account.closed" })],
    ["a balance event without its balance", JSON.stringify({ ...wellsFargoBalanceEvent("acct", 1), data: { account_id: "acct" } })],
    ["an event id longer than 200 characters", JSON.stringify(wellsFargoBalanceEvent("acct", 1, "e".repeat(201)))],
  ])("refuses a correctly signed delivery that is %s with 400, recording nothing", async (_name, body) => {
    await expectNothingPublished(async () => {
      expect(await deliver({ body })).toEqual({ status: 400, body: { error: "Not a Wells Fargo event delivery" } });
    });
  });

  it("refuses a body over 256 KiB with 413", async () => {
    const body = JSON.stringify({ ...balanceEvent(1), padding: "x".repeat(300 * 1024) });
    expect(await deliver({ body })).toEqual({ status: 413, body: { error: "Body larger than 256kb" } });
  });

  it("answers a replayed event 200 (so the bank stops retrying) and publishes it once", async () => {
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, "subscription { balanceUpdated { balance { current { amount } } } }");
    await subscribersReady(t.gateway, user.userId);
    const emitted = await bankEvent(t.mocks.adminUrl, WF, { kind: "balance_changed" });
    expect(emitted.delivery.response).toEqual({ accepted: 1, duplicates: 0 });
    await sub.nth(1);
    const replay = await redeliver(t.mocks.adminUrl, WF, emitted.event.id);
    expect(replay).toMatchObject({ status: 200, attempts: 1, response: { accepted: 0, duplicates: 1 } });
    // The same body, signed by hand with a fresh timestamp, is still the same event.
    const body = JSON.stringify(balanceEvent(5_000, emitted.event.id));
    expect(await deliver({ body })).toEqual({ status: 200, body: { accepted: 0, duplicates: 1 } });
    await eventsPublished(t.gateway);
    await deliver({ body: JSON.stringify(balanceEvent(4_242)) });
    expect((await sub.nth(2)).data!.balanceUpdated.balance.current.amount).toBe("42.42");
    expect(sub.results).toHaveLength(2);
    await closeClient(client, t.gateway, user.userId);
  });
});

describe("configured secrets", () => {
  let cluster: MockCluster;
  let t: TestGateway;
  const secret = "a-production-grade-webhook-secret-for-chase";

  beforeAll(async () => {
    cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: ["chase", "citi"], webhookSecrets: { chase: secret } });
    t = await startTestGateway({ cluster, env: { WEBHOOK_SECRETS: JSON.stringify({ chase: secret, citi: "citi-secret-the-mock-does-not-have" }) } });
    await targetWebhooks(cluster.adminUrl, t.gateway);
  });
  afterAll(async () => {
    await t?.close();
    await cluster?.close();
  });

  it("verifies with WEBHOOK_SECRETS: the bank holding the secret gets through, one signing with the dev secret does not", async () => {
    const chase = await bankEvent(cluster.adminUrl, "chase", { kind: "balance_changed" });
    expect(chase.delivery).toMatchObject({ status: 200, response: { accepted: 1, duplicates: 0 } });
    const citi = await bankEvent(cluster.adminUrl, "citi", { kind: "balance_changed" });
    // A 401 is the receiver refusing this delivery: the same bytes would be refused again, so the bank does not retry it.
    expect(citi.delivery).toMatchObject({ status: 401, attempts: 1, outcome: "refused", response: { error: "Signature does not match" } });
    expect(cluster.events.deliveries("citi")).toMatchObject({ refused: 1, delivered: 0, abandoned: [], waiting: 0 });
    const recorded = await t.gateway.services.db.query<{ institution_id: string }>("SELECT institution_id FROM webhook_events ORDER BY institution_id");
    expect(recorded.map((r) => r.institution_id)).toEqual(["chase"]);
  });
});

describe("replay protection survives a restart", () => {
  let cluster: MockCluster;
  let dataDir: string;

  beforeAll(async () => {
    cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: ["amex"] });
    dataDir = await mkdtemp(join(tmpdir(), "bankgraph-replay-"));
    await seedDataDir(dataDir);
  });
  afterAll(async () => {
    await cluster?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("an event accepted before the restart is a replay after it: 200, nothing published", async () => {
    const first = await startTestGateway({ cluster, env: { DATA_DIR: dataDir } });
    await targetWebhooks(cluster.adminUrl, first.gateway);
    const user = await first.newUser("restart", ["amex"]);
    await first.grant(user, "amex", ["accounts:read", "transactions:read"]);
    const before = await bankEvent(cluster.adminUrl, "amex", { kind: "transaction_posted", amountMinor: 1_000 });
    expect(before.delivery.response).toEqual({ accepted: 1, duplicates: 0 });
    await first.close();

    const second = await startTestGateway({ cluster, env: { DATA_DIR: dataDir } });
    try {
      await targetWebhooks(cluster.adminUrl, second.gateway);
      const client = wsClient(second.gateway, user.app);
      const sub = collect(client, "subscription { transactionPosted { amount { amount } } }");
      await subscribersReady(second.gateway, user.userId);
      expect((await redeliver(cluster.adminUrl, "amex", before.event.id)).response).toEqual({ accepted: 0, duplicates: 1 });
      await eventsPublished(second.gateway);
      await bankEvent(cluster.adminUrl, "amex", { kind: "transaction_posted", amountMinor: 2_000 });
      expect((await sub.nth(1)).data!.transactionPosted.amount.amount).toBe("-20.00");
      expect(sub.results).toHaveLength(1);
      await client.dispose();
    } finally {
      await second.close();
    }
  });
});

function flipLastHex(hex: string): string {
  return `${hex.slice(0, -1)}${hex.endsWith("0") ? "1" : "0"}`;
}
