/**
 * Subscriptions keep the consent's history window too: an event about a transaction or a receipt
 * dated before the window is withheld, while the same event reaches an app without a window on the
 * same bank customer. Each delivered event is on the access record under the scope it was
 * decided with. "Nothing arrived" is checked behind a sentinel on the same socket.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { bankEvent, collect, settle, subscribersReady, targetWebhooks, wsClient } from "./realtime-support.js";

const DAY = 86_400_000;
const POSTED = "subscription { transactionPosted { id date } }";
const RECEIPT = "subscription { receiptUpdated { id issuedAt } }";
const BALANCE = "subscription { balanceUpdated { accountId } }";
const SCOPES = ["accounts:read", "balances:read", "transactions:read", "receipts:read"];

const clock = new ManualClock(new Date());
let t: TestGateway;
let windowed: TestUser;
let open: TestUser;

beforeAll(async () => {
  t = await startTestGateway({ clock, mocks: { banks: ["paypal"] } });
  await targetWebhooks(t.mocks.adminUrl, t.gateway);
  windowed = await t.newUser("event-window", ["paypal"]);
  await t.grant(windowed, "paypal", SCOPES, { historyDays: 2 });
  open = await t.newUser("event-open", ["paypal"]);
  await t.grant(open, "paypal", SCOPES);
});
afterAll(() => t?.close());

async function scopesLogged(user: TestUser): Promise<string[]> {
  return (await t.gql("{ accessLog(first: 100) { nodes { scope } } }", {}, user.user)).body.data.accessLog.nodes.map((n: { scope: string }) => n.scope).sort();
}

it("delivers a posted transaction dated inside the window and records transactions:read for it", async () => {
  const client = wsClient(t.gateway, windowed.app);
  const posted = collect(client, POSTED);
  await subscribersReady(t.gateway, windowed.userId, 1);
  // Today's purchase is inside a two-day window. (Older rows are withheld: see test/consent/unit/delivery-decision.test.ts;
  // the mocks date every new transaction now, and the webhook check forbids moving the gateway clock.)
  await bankEvent(t.mocks.adminUrl, "paypal", { kind: "transaction_posted" });
  const first = await posted.nth(1);
  expect(first.errors).toBeUndefined();
  expect(first.data!.transactionPosted.date >= new Date(clock.now().getTime() - 2 * DAY).toISOString().slice(0, 10)).toBe(true);
  expect(await scopesLogged(windowed)).toEqual(["transactions:read"]);
  await client.dispose();
});

it("withholds an update about a receipt issued before the window; an app without a window gets it", async () => {
  const windowedClient = wsClient(t.gateway, windowed.app);
  const openClient = wsClient(t.gateway, open.app);
  const withheld = collect(windowedClient, RECEIPT);
  const sentinel = collect(windowedClient, BALANCE);
  const delivered = collect(openClient, RECEIPT);
  await subscribersReady(t.gateway, windowed.userId, 2);
  await subscribersReady(t.gateway, open.userId, 1);

  // The mock's receipts were issued months ago (its data set is anchored in the past).
  await bankEvent(t.mocks.adminUrl, "paypal", { kind: "shipment_updated" });
  const receipt = await delivered.nth(1);
  expect(Date.parse(receipt.data!.receiptUpdated.issuedAt)).toBeLessThan(clock.now().getTime() - 3 * DAY);
  await bankEvent(t.mocks.adminUrl, "paypal", { kind: "balance_changed" });
  await sentinel.nth(1);
  await settle();
  expect(withheld.results).toEqual([]);
  await windowedClient.dispose();
  await openClient.dispose();
});
