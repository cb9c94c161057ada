/**
 * Subscriptions keep the consent's history window too: an event about a transaction or a receipt
 * dated before the window is withheld, while the same event reaches an app without a window on the
 * same bank customer. Each delivered event is on the access record under the scope it was
 * decided with. "Nothing arrived" is checked behind a sentinel on the same socket.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { bankEvent, closeClient, collect, eventsPublished, linkOf, subscribersReady, targetWebhooks, wsClient } from "./realtime-support.js";

const DAY = 86_400_000;
const POSTED = "subscription { transactionPosted { id date } }";
const RECEIPT = "subscription { receiptUpdated { id issuedAt } }";
const SCOPES = ["accounts:read", "balances:read", "transactions:read", "receipts:read"];

const clock = new ManualClock(new Date());
let t: TestGateway;
let windowed: TestUser;
let open: TestUser;

beforeAll(async () => {
  // amex only carries the sentinels.
  t = await startTestGateway({ clock, mocks: { banks: ["paypal", "amex"] } });
  await targetWebhooks(t.mocks.adminUrl, t.gateway);
  windowed = await t.newUser("event-window", ["paypal", "amex"]);
  await t.grant(windowed, "paypal", SCOPES, { historyDays: 2 });
  // The windowed user's amex consent has no window: it carries the sentinel.
  await t.grant(windowed, "amex", SCOPES);
  open = await t.newUser("event-open", ["paypal"]);
  await t.grant(open, "paypal", SCOPES);
});
afterAll(() => t?.close());

async function accessRecords(user: TestUser): Promise<Array<{ institutionId: string; scope: string }>> {
  const body = (await t.gql("{ accessLog(first: 100) { nodes { institutionId scope } } }", {}, user.user)).body;
  return body.data.accessLog.nodes.map((n: { institutionId: string; scope: string }) => ({ institutionId: n.institutionId, scope: n.scope }));
}

async function scopesLogged(user: TestUser): Promise<string[]> {
  return (await t.gql("{ accessLog(first: 100) { nodes { scope } } }", {}, user.user)).body.data.accessLog.nodes.map((n: { scope: string }) => n.scope).sort();
}

it("withholds a posted transaction dated before the window and records nothing for it; an app without a window gets it, on the record", async () => {
  const windowedClient = wsClient(t.gateway, windowed.app);
  const openClient = wsClient(t.gateway, open.app);
  const withheld = collect(windowedClient, POSTED);
  const delivered = collect(openClient, POSTED);
  await subscribersReady(t.gateway, windowed.userId, 1);
  await subscribersReady(t.gateway, open.userId, 1);

  // The mock bank's clock stands on its anchor day (months before the gateway's): the purchase it
  // posts is dated then, far outside a two-day window.
  await bankEvent(t.mocks.adminUrl, "paypal", { kind: "transaction_posted" });
  const posted = await delivered.nth(1);
  expect(posted.errors).toBeUndefined();
  expect(posted.data!.transactionPosted.date < new Date(clock.now().getTime() - 2 * DAY).toISOString().slice(0, 10)).toBe(true);
  // Sentinel on the same subscription: a purchase posted through the windowed user's amex link,
  // whose consent has no window. It must be the first thing to arrive: the withheld one came before it.
  await eventsPublished(t.gateway);
  await bankEvent(t.mocks.adminUrl, "amex", { kind: "transaction_posted" });
  expect(linkOf((await withheld.nth(1)).data!.transactionPosted.id)).toBe(linkOf(windowed.links["amex"]!));
  expect(withheld.results).toHaveLength(1);
  expect(await scopesLogged(open)).toEqual(["transactions:read"]);
  expect(await accessRecords(windowed)).toEqual([{ institutionId: "amex", scope: "transactions:read" }]);
  // Released before the next test counts its subscribers.
  await closeClient(windowedClient, t.gateway, windowed.userId);
  await closeClient(openClient, t.gateway, open.userId);
});

it("withholds an update about a receipt issued before the window; an app without a window gets it", async () => {
  const windowedClient = wsClient(t.gateway, windowed.app);
  const openClient = wsClient(t.gateway, open.app);
  const withheld = collect(windowedClient, RECEIPT);
  const delivered = collect(openClient, RECEIPT);
  await subscribersReady(t.gateway, windowed.userId, 1);
  await subscribersReady(t.gateway, open.userId, 1);

  // The mock's receipts were issued months ago (its data set is anchored in the past).
  await bankEvent(t.mocks.adminUrl, "paypal", { kind: "shipment_updated" });
  const receipt = await delivered.nth(1);
  expect(Date.parse(receipt.data!.receiptUpdated.issuedAt)).toBeLessThan(clock.now().getTime() - 3 * DAY);
  // Sentinel on the same subscription: a receipt update through the windowed user's amex link,
  // whose consent has no window. It must be the first thing to arrive: the withheld one came before it.
  await eventsPublished(t.gateway);
  await bankEvent(t.mocks.adminUrl, "amex", { kind: "shipment_updated" });
  expect(linkOf((await withheld.nth(1)).data!.receiptUpdated.id)).toBe(linkOf(windowed.links["amex"]!));
  expect(withheld.results).toHaveLength(1);
  await windowedClient.dispose();
  await openClient.dispose();
});
