/**
 * Who gets an event: only the subscriber's own links, only under the consent scope the data
 * needs, decided again at every delivery. Every "gets nothing" is checked behind a sentinel: once
 * the withheld event is published (eventsPublished), an event the subscriber IS allowed to see is
 * sent on the same subscription, and it must be the next thing to arrive. A subscription takes
 * its messages in order, so a withheld event delivered by mistake would have come first.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { ConsentPurpose } from "../../src/domain/consent.js";
import { bankEvent, collect, eventsPublished, linkAs, linkOf, subscribersReady, targetWebhooks, wsClient } from "./realtime-support.js";

let t: TestGateway;
beforeAll(async () => {
  // amex only carries the sentinels of the scope tests (it has every kind of event, receipts too).
  t = await startTestGateway({ mocks: { banks: ["chase", "citi", "paypal", "amex"] } });
  await targetWebhooks(t.mocks.adminUrl, t.gateway);
});
afterAll(() => t?.close());

const POSTED = "subscription { transactionPosted { id amount { amount } } }";

/** The institutions of the user's access-log records, one entry per record. */
async function accessLogInstitutions(user: TestUser): Promise<string[]> {
  const nodes: Array<{ institutionId: string }> = (await t.gql("{ accessLog(first: 100) { nodes { institutionId } } }", {}, user.user)).body.data.accessLog
    .nodes;
  return nodes.map((n) => n.institutionId);
}

describe("scopes", () => {
  it.each([
    ["balanceUpdated", "balance_changed", "balances:read", "subscription { balanceUpdated { accountId } }", (p: any) => p.balanceUpdated.accountId],
    ["transactionPosted", "transaction_posted", "transactions:read", POSTED, (p: any) => p.transactionPosted.id],
    ["receiptUpdated", "shipment_updated", "receipts:read", "subscription { receiptUpdated { id } }", (p: any) => p.receiptUpdated.id],
    ["fraudAlert", "fraud_alert", "alerts:read", "subscription { fraudAlert { id accountId } }", (p: any) => p.fraudAlert.accountId],
  ] as const)("%s (bank event %s) needs %s: without it nothing arrives, with it the event does", async (_field, kind, scope, query, idOf) => {
    const others = ["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read", "alerts:read"].filter((s) => s !== scope);
    // The user without the scope at paypal has it at amex: amex's event is the sentinel.
    const without = await t.newUser("scope-without", ["paypal", "amex"]);
    await t.grant(without, "paypal", others);
    await t.grant(without, "amex", ["accounts:read", scope]);
    const withIt = await t.newUser("scope-with", ["paypal"]);
    await t.grant(withIt, "paypal", ["accounts:read", scope]);

    const clientWithout = wsClient(t.gateway, without.app);
    const clientWith = wsClient(t.gateway, withIt.app);
    const denied = collect(clientWithout, query);
    const granted = collect(clientWith, query);
    await subscribersReady(t.gateway, without.userId);
    await subscribersReady(t.gateway, withIt.userId);

    // Both users linked the same bank customer: the bank's one event is routed to both links.
    await bankEvent(t.mocks.adminUrl, "paypal", { kind });
    await granted.nth(1);
    await eventsPublished(t.gateway);
    await bankEvent(t.mocks.adminUrl, "amex", { kind });
    expect(linkOf(idOf((await denied.nth(1)).data))).toBe(linkOf(without.links["amex"]!));
    expect(denied.results).toHaveLength(1);
    expect(granted.results).toHaveLength(1);
    // The one delivery to `without` is amex's: it is on record (before it left), paypal's withheld event is not.
    expect(await accessLogInstitutions(without)).toEqual(["amex"]);
    await clientWithout.dispose();
    await clientWith.dispose();
  });

  it("another app of the same user, without a consent of its own at that bank, gets nothing from it", async () => {
    const user = await t.newUser("other-app", ["chase", "citi"]);
    await t.grant(user, "chase", ["accounts:read", "transactions:read"]);
    // The other app's own consent is at citi only: citi's event is its sentinel.
    await t.gateway.services.clients.register({ id: "another-app", name: "Another app", allowedPurposes: Object.values(ConsentPurpose) });
    const otherToken = await t.token(user.userId, { client: "another-app" });
    const requested = await t.gql(
      "mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id } }",
      { input: { linkId: user.links["citi"], scopes: ["accounts:read", "transactions:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 90 } },
      otherToken,
    );
    await t.gql("mutation($id: ID!) { authorizeConsent(id: $id) { id } }", { id: requested.body.data.requestConsent.id }, user.user);
    const otherApp = wsClient(t.gateway, otherToken);
    const ownApp = wsClient(t.gateway, user.app);
    const foreign = collect(otherApp, POSTED);
    const own = collect(ownApp, POSTED);
    await subscribersReady(t.gateway, user.userId, 2);
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 1_234 });
    expect((await own.nth(1)).data!.transactionPosted.amount).toEqual({ amount: "-12.34" });
    await eventsPublished(t.gateway);
    await bankEvent(t.mocks.adminUrl, "citi", { kind: "transaction_posted", amountMinor: 5_678 });
    expect((await foreign.nth(1)).data!.transactionPosted.amount).toEqual({ amount: "-56.78" });
    expect(foreign.results).toHaveLength(1);
    await otherApp.dispose();
    await ownApp.dispose();
  });
});

describe("isolation", () => {
  it("one user's bank events never reach another user", async () => {
    const alice = await t.newUser("iso-alice", ["chase"]);
    const bob = await t.newUser("iso-bob", []);
    await linkAs(t, bob, "chase", "bob");
    for (const user of [alice, bob]) await t.grant(user, "chase", ["accounts:read", "transactions:read", "balances:read", "alerts:read"]);
    const aliceClient = wsClient(t.gateway, alice.app);
    const bobClient = wsClient(t.gateway, bob.app);
    const aliceSubs = [POSTED, "subscription { balanceUpdated { accountId } }", "subscription { fraudAlert { id accountId } }"].map((q) =>
      collect(aliceClient, q),
    );
    const bobPosted = collect(bobClient, POSTED);
    await subscribersReady(t.gateway, alice.userId, 3);
    await subscribersReady(t.gateway, bob.userId);

    const bobs = await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", customer: "bob", amountMinor: 777 });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed", customer: "bob" });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "fraud_alert", customer: "bob" });
    expect(bobs.event.customer).toBe("bob");
    expect((await bobPosted.nth(1)).data!.transactionPosted.amount).toEqual({ amount: "-7.77" });

    // Alice's own events arrive first on each of her subscriptions (the sentinels): none of bob's did.
    await eventsPublished(t.gateway);
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", customer: "alice", amountMinor: 111 });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed", customer: "alice" });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "fraud_alert", customer: "alice" });
    expect((await aliceSubs[0]!.nth(1)).data!.transactionPosted.amount).toEqual({ amount: "-1.11" });
    expect(linkOf((await aliceSubs[1]!.nth(1)).data!.balanceUpdated.accountId)).toBe(linkOf(alice.links["chase"]!));
    expect(linkOf((await aliceSubs[2]!.nth(1)).data!.fraudAlert.accountId)).toBe(linkOf(alice.links["chase"]!));
    expect(aliceSubs.map((s) => s.results.length)).toEqual([1, 1, 1]);
    // And none of alice's reached bob: his own next event is the next thing he gets.
    await eventsPublished(t.gateway);
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", customer: "bob", amountMinor: 888 });
    expect((await bobPosted.nth(2)).data!.transactionPosted.amount).toEqual({ amount: "-8.88" });
    expect(bobPosted.results).toHaveLength(2);
    await aliceClient.dispose();
    await bobClient.dispose();
  });
});

describe("revocation mid-stream", () => {
  it("a revoked consent stops delivery with the very next event; the other bank keeps flowing", async () => {
    const user = await t.newUser("revoke", ["chase", "citi"]);
    const chaseConsent = await t.grant(user, "chase", ["accounts:read", "transactions:read"]);
    await t.grant(user, "citi", ["accounts:read", "transactions:read"]);
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, "subscription { transactionPosted { amount { amount } } }");
    await subscribersReady(t.gateway, user.userId);

    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 100 });
    await sub.nth(1);
    const revoked = await t.gql("mutation($id: ID!) { revokeConsent(id: $id) { status } }", { id: chaseConsent }, user.user);
    expect(revoked.body.data.revokeConsent.status).toBe("REVOKED");

    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 200 });
    await eventsPublished(t.gateway);
    await bankEvent(t.mocks.adminUrl, "citi", { kind: "transaction_posted", amountMinor: 300 });
    await sub.nth(2);
    expect(sub.results.map((r) => r.data!.transactionPosted.amount.amount)).toEqual(["-1.00", "-3.00"]);
    // The subscription itself lives on: consent is per event, not per socket.
    expect(t.gateway.services.realtime.pubsub.subscriberCount(`user:${user.userId}`)).toBe(1);
    await client.dispose();
  });

  it("unlinking the bank stops its events", async () => {
    const user = await t.newUser("unlink", ["chase", "citi"]);
    await t.grant(user, "chase", ["accounts:read", "transactions:read"]);
    await t.grant(user, "citi", ["accounts:read", "transactions:read"]);
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, "subscription { transactionPosted { amount { amount } } }");
    await subscribersReady(t.gateway, user.userId);
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 400 });
    await sub.nth(1);

    const unlinked = await t.gql("mutation($id: ID!) { unlinkInstitution(linkId: $id) { status } }", { id: user.links["chase"] }, user.user);
    expect(unlinked.body.data.unlinkInstitution.status).toBe("REVOKED");
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 500 });
    await eventsPublished(t.gateway);
    await bankEvent(t.mocks.adminUrl, "citi", { kind: "transaction_posted", amountMinor: 600 });
    await sub.nth(2);
    expect(sub.results.map((r) => r.data!.transactionPosted.amount.amount)).toEqual(["-4.00", "-6.00"]);
    await client.dispose();
  });
});
