/**
 * The `events` catch-up query (issue 14, item 3) over HTTP: the same events, ids and cursors the
 * subscriptions deliver, under the same consent rules (a withheld event is skipped, and endCursor
 * moves past it), on the access log like any read, paged, filtered by kind, one person's only,
 * and EVENT_CURSOR_EXPIRED for a cursor older than retention.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { bankEvent, closeClient, collect, subscribersReady, targetWebhooks, wsClient } from "./realtime-support.js";

const EVENTS = `query CatchUp($first: Int, $after: String, $kinds: [EventKind!]) {
  events(first: $first, after: $after, kinds: $kinds) {
    nodes { eventId cursor occurredAt kind balanceUpdate { balance { current { amount } } } transaction { amount { amount } } consent { id status } }
    pageInfo { hasNextPage endCursor }
  }
}`;

let t: TestGateway;
let clock: ManualClock;
beforeAll(async () => {
  clock = new ManualClock(new Date());
  t = await startTestGateway({ clock });
  await targetWebhooks(t.mocks.adminUrl, t.gateway);
});
afterAll(() => t?.close());

describe("events(after, first, kinds)", () => {
  it("reads what the subscription delivered, same ids and cursors; withheld events are skipped but passed; paged; on the access log", async () => {
    const user = await t.newUser("catchup", ["chase"]);
    await t.grant(user, "chase", ["accounts:read", "balances:read"]);
    const client = wsClient(t.gateway, user.app);
    const live = collect(client, "subscription { balanceUpdated { balance { current { amount } } } }");
    await subscribersReady(t.gateway, user.userId);
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 500 }); // withheld: no transactions:read
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 600 }); // withheld too
    await live.nth(2);
    await closeClient(client, t.gateway, user.userId);

    const all = await t.gql(EVENTS, { first: 10 }, user.app);
    expect(all.body.errors).toBeUndefined();
    const { nodes, pageInfo } = all.body.data.events;
    expect(nodes.map((n: any) => n.kind)).toEqual(["BALANCE_CHANGED", "BALANCE_CHANGED"]);
    expect(nodes.map((n: any) => ({ eventId: n.eventId, cursor: n.cursor, occurredAt: n.occurredAt }))).toEqual(
      live.results.map((r) => (r.extensions as { event: unknown }).event),
    );
    expect(nodes.map((n: any) => n.balanceUpdate)).toEqual(live.results.map((r) => r.data!.balanceUpdated));
    expect(nodes.every((n: any) => n.transaction === null && n.consent === null)).toBe(true);
    expect(pageInfo).toEqual({ hasNextPage: false, endCursor: expect.any(String) });
    // The end cursor is past the last withheld purchase, not at the last delivered event.
    expect(pageInfo.endCursor).not.toBe(nodes[1].cursor);

    // Paged one at a time: the same two events, then an empty last page at the same end.
    const first = (await t.gql(EVENTS, { first: 1 }, user.app)).body.data.events;
    expect(first.nodes.map((n: any) => n.eventId)).toEqual([nodes[0].eventId]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await t.gql(EVENTS, { first: 1, after: first.pageInfo.endCursor }, user.app)).body.data.events;
    expect(second.nodes.map((n: any) => n.eventId)).toEqual([nodes[1].eventId]);
    expect(second.pageInfo.hasNextPage).toBe(true);
    const rest = (await t.gql(EVENTS, { first: 1, after: second.pageInfo.endCursor }, user.app)).body.data.events;
    expect(rest).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: pageInfo.endCursor } });

    // Granted transactions:read now: the purchase was logged, so catch-up shows it under the new consent; kinds filters.
    await t.grant(user, "chase", ["accounts:read", "balances:read", "transactions:read"]);
    const purchases = (await t.gql(EVENTS, { kinds: ["TRANSACTION_POSTED"] }, user.app)).body.data.events;
    expect(purchases.nodes.map((n: any) => [n.kind, n.transaction.amount.amount])).toEqual([
      ["TRANSACTION_POSTED", "-5.00"],
      ["TRANSACTION_POSTED", "-6.00"],
    ]);

    // Every event read is on the person's access log, under the operation's name.
    const log = await t.gql(`{ accessLog(first: 50) { nodes { scope operationName clientId } } }`, {}, user.user);
    const reads = log.body.data.accessLog.nodes.filter((n: any) => n.operationName === "CatchUp");
    expect(reads.map((n: any) => n.scope)).toEqual(expect.arrayContaining(["balances:read", "transactions:read"]));
  });

  it("one person's events never reach another; bad input is refused", async () => {
    const alice = await t.newUser("iso-a", ["chase"]);
    const bob = await t.newUser("iso-b", ["chase"]);
    await t.grant(alice, "chase", ["accounts:read", "balances:read"]);
    await t.grant(bob, "chase", ["accounts:read", "balances:read"]);
    // Both link the same bank customer: one bank event, one log entry for each of them.
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" });
    const a = (await t.gql(EVENTS, {}, alice.app)).body.data.events.nodes;
    const b = (await t.gql(EVENTS, {}, bob.app)).body.data.events.nodes;
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a[0].eventId).not.toBe(b[0].eventId);

    for (const variables of [{ first: 0 }, { first: 101 }, { after: "garbage" }, { kinds: [] }]) {
      const refused = await t.gql(EVENTS, variables, alice.app);
      expect(refused.body.errors?.map((e) => e.extensions?.["code"])).toEqual(["BAD_USER_INPUT"]);
    }
  });

  it("a cursor older than retention: EVENT_CURSOR_EXPIRED", async () => {
    const user = await t.newUser("expired", ["chase"]);
    await t.grant(user, "chase", ["accounts:read", "balances:read"], { durationDays: 365 });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" });
    const page = (await t.gql(EVENTS, { first: 1 }, user.app)).body.data.events;
    clock.advance(40 * 24 * 3600_000);
    await t.gateway.services.realtime.retention.sweep();
    const expired = await t.gql(EVENTS, { after: page.nodes[0].cursor }, user.app);
    expect(expired.body.data).toBeNull();
    expect(expired.body.errors?.map((e) => e.extensions?.["code"])).toEqual(["EVENT_CURSOR_EXPIRED"]);
    // Without a cursor: from the oldest kept (none left), no error.
    expect((await t.gql(EVENTS, {}, user.app)).body.data.events.nodes).toEqual([]);
    clock.advance(-40 * 24 * 3600_000);
  });
});
