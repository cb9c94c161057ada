/**
 * The event log behind subscriptions (issue 14), on one gateway with the embedded store:
 * - every result names its event (extensions.event: eventId, cursor, occurredAt);
 * - a subscriber that reconnects with `after` gets exactly what it missed, in order, then live
 *   events, with nothing twice at the seam;
 * - a lost hint only delays: with every hint dropped, the head check delivers;
 * - a revoked consent is an event the app is told about, also while it was away;
 * - a cursor that is not the person's is refused; one older than retention is EVENT_CURSOR_EXPIRED.
 * Nothing waits for time: results are awaited, and "nothing else arrived" is proven by a sentinel.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { ConsentPurpose } from "../../src/domain/consent.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { bankEvent, closeClient, collect, subscribersReady, targetWebhooks, wsClient } from "./realtime-support.js";

const BALANCE = "subscription Balances($after: String) { balanceUpdated(after: $after) { balance { current { amount } asOf } } }";

interface EventExtension {
  eventId: string;
  cursor: string;
  occurredAt: string;
}
const eventOf = (result: { extensions?: unknown }) => (result.extensions as { event: EventExtension }).event;

describe("subscriptions follow the person's event log", () => {
  let t: TestGateway;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(new Date());
    t = await startTestGateway({ clock });
    await targetWebhooks(t.mocks.adminUrl, t.gateway);
  });
  afterAll(() => t?.close());

  async function userWith(prefix: string, scopes: string[]): Promise<TestUser> {
    const user = await t.newUser(prefix, ["chase"]);
    await t.grant(user, "chase", scopes);
    return user;
  }

  it("each result names its event; after a disconnect, `after` replays exactly what was missed, then goes live", async () => {
    const user = await userWith("resume", ["accounts:read", "balances:read"]);
    const first = wsClient(t.gateway, user.app);
    const live = collect(first, BALANCE);
    await subscribersReady(t.gateway, user.userId);
    const seen: string[] = [];
    for (let i = 1; i <= 2; i++) {
      const emitted = await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" });
      expect(emitted.delivery).toMatchObject({ status: 200, response: { accepted: 1 } });
      const result = await live.nth(i);
      expect(result.errors).toBeUndefined();
      const event = eventOf(result);
      expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Date(event.occurredAt).toISOString()).toBe(event.occurredAt);
      seen.push(event.eventId);
    }
    const lastCursor = eventOf(live.results[1]!).cursor;
    await closeClient(first, t.gateway, user.userId);

    // Offline: three events happen.
    const missed: string[] = [];
    for (let i = 0; i < 3; i++) missed.push((await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" })).event.id);

    const second = wsClient(t.gateway, user.app);
    const resumed = collect(second, BALANCE, { after: lastCursor });
    const replayed = await resumed.nth(3);
    expect(replayed.errors).toBeUndefined();
    await subscribersReady(t.gateway, user.userId);
    // Live again: the next event follows the replay, once.
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" });
    await resumed.nth(4);
    const ids = resumed.results.map((r) => eventOf(r).eventId);
    expect(new Set([...seen, ...ids]).size).toBe(6);
    const cursors = resumed.results.map((r) => eventOf(r).cursor);
    expect(new Set(cursors).size).toBe(4);
    // In order: each replayed balance is dated no earlier than the one before it.
    const asOfs = resumed.results.map((r) => Date.parse(r.data!.balanceUpdated.balance.asOf));
    expect([...asOfs].sort((a, b) => a - b)).toEqual(asOfs);

    // Resuming from the very same cursor again replays the same events with the same ids and cursors.
    const third = wsClient(t.gateway, user.app);
    const again = collect(third, BALANCE, { after: lastCursor });
    await again.nth(4);
    expect(again.results.map((r) => eventOf(r))).toEqual(resumed.results.map((r) => eventOf(r)));
    expect(again.results.map((r) => r.data)).toEqual(resumed.results.map((r) => r.data));
    await second.dispose();
    await third.dispose();
  });

  it("an event withheld by consent still moves the stream: resuming after a delivered event never replays a withheld one", async () => {
    const user = await userWith("withheld", ["accounts:read", "balances:read"]);
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, "subscription { balanceUpdated { balance { current { amount } } } }");
    await subscribersReady(t.gateway, user.userId);
    // A posted purchase (no transactions:read: withheld from every subscription of this app), then a balance.
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 700 });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" });
    const delivered = await sub.nth(1);
    const cursor = eventOf(delivered).cursor;
    await closeClient(client, t.gateway, user.userId);

    // The app is granted transactions:read later; resuming after the balance does not bring back the
    // purchase logged before it, and the next purchase does arrive.
    await t.grant(user, "chase", ["accounts:read", "balances:read", "transactions:read"]);
    const again = wsClient(t.gateway, user.app);
    const posted = collect(again, "subscription P($after: String) { transactionPosted(after: $after) { amount { amount } } }", { after: cursor });
    await subscribersReady(t.gateway, user.userId);
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", amountMinor: 900 });
    expect((await posted.nth(1)).data!.transactionPosted.amount).toEqual({ amount: "-9.00" });
    expect(posted.results).toHaveLength(1);
    await again.dispose();
  });

  it("a revoked consent is an event its app is told about, also after being away", async () => {
    const user = await t.newUser("revoked", ["chase"]);
    const consentId = await t.grant(user, "chase", ["accounts:read"]);
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, "subscription R($after: String) { consentRevoked(after: $after) { id status } }", { after: null });
    await subscribersReady(t.gateway, user.userId);
    const revoked = await t.gql(`mutation($id: ID!) { revokeConsent(id: $id) { id status } }`, { id: consentId }, user.user);
    expect(revoked.body.errors).toBeUndefined();
    const told = await sub.nth(1);
    expect(told.data!.consentRevoked).toEqual({ id: consentId, status: "REVOKED" });
    await closeClient(client, t.gateway, user.userId);

    // Replayed from the beginning of the log for an app that was offline: the same event.
    const start = Buffer.from("ev1:0").toString("base64url");
    const later = wsClient(t.gateway, user.app);
    const replay = collect(later, "subscription R($after: String) { consentRevoked(after: $after) { id status } }", { after: start });
    expect(eventOf(await replay.nth(1))).toEqual(eventOf(told));
    // Another app of the same person, replaying the same log, is told only of its own consent.
    await t.gateway.services.clients.register({ id: "other-app", name: "Other (test)", allowedPurposes: [ConsentPurpose.ACCOUNT_OVERVIEW] });
    const other = await t.token(user.userId, { client: "other-app" });
    // The revocation above ended the link's last live consent, and Bankgraph's grant at the bank
    // with it: another app's consent takes a new authorization at the bank (the same link comes back).
    await t.linkAtBank(user.userId, "chase");
    const otherClient = wsClient(t.gateway, other);
    const otherSub = collect(otherClient, "subscription R($after: String) { consentRevoked(after: $after) { id } }", { after: start });
    const requested = await t.gql(
      `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id } }`,
      { input: { linkId: user.links["chase"], scopes: ["accounts:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30 } },
      other,
    );
    const otherConsent = requested.body.data.requestConsent.id as string;
    await t.gql(`mutation($id: ID!) { authorizeConsent(id: $id) { id } }`, { id: otherConsent }, user.user);
    await t.gql(`mutation($id: ID!) { revokeConsent(id: $id) { id } }`, { id: otherConsent }, user.user);
    expect((await otherSub.nth(1)).data!.consentRevoked.id).toBe(otherConsent);
    expect(otherSub.results).toHaveLength(1);
    await later.dispose();
    await otherClient.dispose();
  });

  it("a cursor that is not one of the person's is refused; one older than retention has expired", async () => {
    const user = await userWith("cursor", ["accounts:read", "balances:read"]);
    const client = wsClient(t.gateway, user.app);
    const codeOf = async (sub: ReturnType<typeof collect>) => {
      expect(await sub.ended).toBe("complete");
      expect(sub.results).toHaveLength(1);
      return sub.results[0]!.errors?.map((e) => [e.extensions?.["code"], e.message]);
    };
    expect(await codeOf(collect(client, BALANCE, { after: "not-a-cursor" }))).toEqual([["BAD_USER_INPUT", expect.stringMatching(/^after:/)]]);
    expect(await codeOf(collect(client, BALANCE, { after: Buffer.from("ev1:999").toString("base64url") }))).toEqual([["BAD_USER_INPUT", expect.any(String)]]);

    const sub = collect(client, BALANCE);
    await subscribersReady(t.gateway, user.userId);
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" });
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" });
    const oldCursor = eventOf(await sub.nth(1)).cursor;
    await sub.nth(2);
    // 31 days later the retention sweep removes both: the cursor of the first has expired.
    clock.advance(31 * 24 * 3600_000);
    expect(await t.gateway.services.realtime.retention.sweep()).toBeGreaterThanOrEqual(2);
    // Back to the banks' time, so their signed webhooks are fresh again.
    clock.advance(-31 * 24 * 3600_000);
    expect(await codeOf(collect(client, BALANCE, { after: oldCursor }))).toEqual([
      ["EVENT_CURSOR_EXPIRED", expect.stringMatching(/re-read the current state/)],
    ]);
    // The cursor of the newest removed event is still good: nothing after it was lost.
    const newest = eventOf(sub.results[1]!).cursor;
    const fine = collect(client, BALANCE, { after: newest });
    await subscribersReady(t.gateway, user.userId, 2);
    await bankEvent(t.mocks.adminUrl, "chase", { kind: "balance_changed" });
    expect((await fine.nth(1)).errors).toBeUndefined();
    await client.dispose();
  });
});

describe("a lost hint only delays delivery", () => {
  let t: TestGateway;
  beforeAll(async () => {
    // Every hint dropped: delivery rests on the head check alone (every 100 ms here).
    t = await startTestGateway({ dropEventHints: true, env: { EVENT_HEAD_CHECK_MS: "100" } });
    await targetWebhooks(t.mocks.adminUrl, t.gateway);
  });
  afterAll(() => t?.close());

  it("the head check delivers every event, in order, once", async () => {
    const user = await t.newUser("nohint", ["chase"]);
    await t.grant(user, "chase", ["accounts:read", "transactions:read"]);
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, "subscription { transactionPosted { amount { amount } } }");
    await subscribersReady(t.gateway, user.userId);
    for (const cents of [101, 202, 303]) await bankEvent(t.mocks.adminUrl, "chase", { kind: "transaction_posted", amountMinor: cents });
    await sub.nth(3);
    expect(sub.results.map((r) => r.data!.transactionPosted.amount.amount)).toEqual(["-1.01", "-2.02", "-3.03"]);
    await client.dispose();
  });
});
