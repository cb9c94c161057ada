/**
 * Who gets an event: only the subscriber's own links, only under the consent scope the data
 * needs, decided again at every delivery. Every "gets nothing" is checked behind a sentinel: an
 * event that IS delivered on the same socket after the withheld one, plus a short settle, so a
 * withheld event can't simply be late.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { bankEvent, collect, linkAs, settle, subscribersReady, targetWebhooks, wsClient } from "./realtime-support.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["chase", "citi", "paypal"] } });
  await targetWebhooks(t.mocks.adminUrl, t.gateway);
});
afterAll(() => t?.close());

const POSTED = "subscription { transactionPosted { id amount { amount } } }";

async function accessLogSize(user: TestUser): Promise<number> {
  return (await t.gql("{ accessLog(first: 100) { nodes { scope } } }", {}, user.user)).body.data.accessLog.nodes.length;
}

describe("scopes", () => {
  it.each([
    ["balanceUpdated", "balance_changed", "balances:read", "subscription { balanceUpdated { accountId } }"],
    ["transactionPosted", "transaction_posted", "transactions:read", POSTED],
    ["receiptUpdated", "shipment_updated", "receipts:read", "subscription { receiptUpdated { id } }"],
    ["fraudAlert", "fraud_alert", "alerts:read", "subscription { fraudAlert { id } }"],
  ] as const)("%s (bank event %s) needs %s: without it nothing arrives, with it the event does", async (_field, kind, scope, query) => {
    const others = ["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read", "alerts:read"].filter((s) => s !== scope);
    const without = await t.newUser("scope-without", ["paypal"]);
    await t.grant(without, "paypal", others);
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
    await settle();
    expect(denied.results).toEqual([]);
    expect(granted.results).toHaveLength(1);
    expect(await accessLogSize(without)).toBe(0);
    await clientWithout.dispose();
    await clientWith.dispose();
  });

  it("another app of the same user, without a consent of its own, gets nothing", async () => {
    const user = await t.newUser("other-app", ["chase"]);
    await t.grant(user, "chase", ["accounts:read", "transactions:read"]);
    const otherApp = wsClient(t.gateway, await t.token(user.userId, { client: "another-app" }));
    const ownApp = wsClient(t.gateway, user.app);
    const foreign = collect(otherApp, POSTED);
    const own = collect(ownApp, POSTED);
    await subscribersReady(t.gateway, user.userId, 2);
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted" });
    await own.nth(1);
    await settle();
    expect(foreign.results).toEqual([]);
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
    const aliceSubs = [POSTED, "subscription { balanceUpdated { accountId } }", "subscription { fraudAlert { id } }"].map((q) => collect(aliceClient, q));
    const bobPosted = collect(bobClient, POSTED);
    await subscribersReady(t.gateway, alice.userId, 3);
    await subscribersReady(t.gateway, bob.userId);

    const bobs = await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", customer: "bob", amountMinor: 777 });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed", customer: "bob" });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "fraud_alert", customer: "bob" });
    expect(bobs.event.customer).toBe("bob");
    expect((await bobPosted.nth(1)).data!.transactionPosted.amount).toEqual({ amount: "-7.77" });

    // Alice's own event arrives (the sentinel); none of bob's did.
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", customer: "alice", amountMinor: 111 });
    expect((await aliceSubs[0]!.nth(1)).data!.transactionPosted.amount).toEqual({ amount: "-1.11" });
    await settle();
    expect(aliceSubs.map((s) => s.results.length)).toEqual([1, 0, 0]);
    expect(bobPosted.results).toHaveLength(1);
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
    await bankEvent(t.mocks.adminUrl, "citi", { kind: "transaction_posted", amountMinor: 300 });
    await sub.nth(2);
    await settle();
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
    await bankEvent(t.mocks.adminUrl, "citi", { kind: "transaction_posted", amountMinor: 600 });
    await sub.nth(2);
    await settle();
    expect(sub.results.map((r) => r.data!.transactionPosted.amount.amount)).toEqual(["-4.00", "-6.00"]);
    await client.dispose();
  });
});
