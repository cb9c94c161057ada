/**
 * The upstream cache, seen from outside: which calls reach the mock bank (its request log), what
 * `Balance.asOf` says, and the consent guard still deciding every field on a warm cache.
 * The gateway's clock is a ManualClock, so "after the TTL" is a clock step, not a sleep.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { startTestGateway, type GraphQLResponse, type TestGateway, type TestUser } from "../support/gateway.js";
import { bankEvent, targetWebhooks } from "../realtime/realtime-support.js";
import { sample, scrape } from "../support/prometheus-text.js";
import { until } from "../support/webhook-receiver.js";
import { recordedRevocations } from "../../mocks/oauth/revocation-log.js";

const TTL_MS = 30_000;
const BANK = "wells_fargo"; // reports balance times to the millisecond
const DASHBOARD = `query Dashboard { accounts { id balance { current { amount currency } asOf } } }`;
const withMaxAge = (maxAge: number) => `query Fresh { accounts { id balance(maxAge: ${maxAge}) { current { amount } asOf } } }`;

type Dashboard = { accounts: Array<{ id: string; balance: { current: { amount: string }; asOf: string } | null } | null> };

const codes = (response: GraphQLResponse) => response.body.errors?.map((e) => e.extensions?.["code"]);

describe("upstream cache", () => {
  const clock = new ManualClock("2026-06-15T12:00:00Z");
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({ clock, mocks: { banks: [BANK, "citi"] }, env: { UPSTREAM_CACHE_TTL_MS: String(TTL_MS) } });
  });
  afterAll(() => t?.close());

  /** Calls the bank received since the last reset, by kind (e.g. { accounts: 1, balances: 1 }). */
  function callsAt(bank: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const request of t.mocks.bank(bank).requestLog()) counts[request.kind ?? "unrouted"] = (counts[request.kind ?? "unrouted"] ?? 0) + 1;
    return counts;
  }

  /**
   * The link's last consent ended, so Bankgraph revokes its grant at the bank after commit (a call
   * of its own, not a data read): wait for the bank to have it before counting the next read's calls.
   */
  async function bankToldOfRevocation(recordedBefore: number): Promise<void> {
    await until("the bank told of the revocation", () => recordedRevocations(t.mocks.bank(BANK)).length > recordedBefore);
  }

  async function user(prefix: string, scopes = ["accounts:read", "balances:read"]): Promise<TestUser> {
    const u = await t.newUser(prefix, [BANK]);
    await t.grant(u, BANK, scopes);
    return u;
  }

  async function dashboard(u: TestUser, query = DASHBOARD): Promise<Dashboard> {
    const response = await t.gql<Dashboard>(query, {}, u.app);
    expect(response.body.errors).toBeUndefined();
    return response.body.data!;
  }

  const cacheEntries = async () => sample(await scrape(t.url), "bankgraph_upstream_cache_entries")!;

  it("answers from the cache within the TTL, asks the bank for maxAge: 0, and again after the TTL", async () => {
    const u = await user("fresh");
    const accountCount = t.mocks.bank(BANK).data.accountsOf("alice").length;
    t.resetBankCalls();

    const first = await dashboard(u);
    expect(callsAt(BANK)).toEqual({ accounts: 1, balances: 1 });
    expect(first.accounts).toHaveLength(accountCount);

    t.resetBankCalls();
    const second = await dashboard(u);
    expect(callsAt(BANK)).toEqual({});
    expect(second).toEqual(first); // same balances, same asOf: when the bank computed them

    await sleep(5); // the mock stamps balances with its own clock, in ms
    t.resetBankCalls();
    const fresh = await dashboard(u, withMaxAge(0));
    expect(callsAt(BANK)).toEqual({ balances: 1 });
    for (const [i, account] of fresh.accounts.entries()) {
      expect(Date.parse(account!.balance!.asOf)).toBeGreaterThan(Date.parse(first.accounts[i]!.balance!.asOf));
    }

    // 20 s later: a 30 s maxAge takes the cached answer, a 10 s one does not.
    clock.advance(20_000);
    t.resetBankCalls();
    await dashboard(u, withMaxAge(30));
    expect(callsAt(BANK)).toEqual({});
    await dashboard(u, withMaxAge(10));
    expect(callsAt(BANK)).toEqual({ balances: 1 });

    // Past the TTL, both kinds are fetched again.
    clock.advance(TTL_MS);
    t.resetBankCalls();
    await dashboard(u);
    expect(callsAt(BANK)).toEqual({ accounts: 1, balances: 1 });
  });

  it("refuses a maxAge out of range with BAD_USER_INPUT, without calling the bank for it", async () => {
    const u = await user("bad-max-age");
    await dashboard(u);
    t.resetBankCalls();
    for (const maxAge of [-1, 86_401]) {
      const response = await t.gql(withMaxAge(maxAge), {}, u.app);
      expect(response.body.data.accounts.every((a: { balance: unknown }) => a.balance === null)).toBe(true);
      expect(new Set(codes(response))).toEqual(new Set(["BAD_USER_INPUT"]));
    }
    expect(callsAt(BANK)).toEqual({});
  });

  it("never shares across users or links: each link's data comes from its own calls", async () => {
    const alice = await user("share-a");
    const bob = await t.newUser("share-b", []);
    await t.linkAs(bob, BANK, "bob");
    await t.grant(bob, BANK, ["accounts:read", "balances:read"]);

    const aliceView = await dashboard(alice);
    t.resetBankCalls();
    const bobView = await dashboard(bob);
    expect(callsAt(BANK)).toEqual({ accounts: 1, balances: 1 }); // alice's warm entries did not answer for bob
    const ids = (view: Dashboard) => view.accounts.map((a) => a!.id).sort();
    expect(ids(bobView)).not.toEqual(ids(aliceView));
    expect(bobView.accounts).toHaveLength(t.mocks.bank(BANK).data.accountsOf("bob").length);

    // A second link of alice's own (another user ID, same bank login) is a different link: its own calls.
    const aliceAgain = await user("share-a2");
    t.resetBankCalls();
    await dashboard(aliceAgain);
    expect(callsAt(BANK)).toEqual({ accounts: 1, balances: 1 });
    t.resetBankCalls();
    expect(await dashboard(alice)).toEqual(aliceView);
    expect(callsAt(BANK)).toEqual({});
  });

  it("purges a link's entries when the user unlinks it", async () => {
    const u = await user("unlink");
    const before = await cacheEntries();
    await dashboard(u);
    const perLink = 1 + t.mocks.bank(BANK).data.accountsOf("alice").length; // the account list + one balance per account
    expect(await cacheEntries()).toBe(before + perLink);

    const recordedBefore = recordedRevocations(t.mocks.bank(BANK)).length;
    const unlinked = await t.gql(`mutation($id: ID!) { unlinkInstitution(linkId: $id) { status } }`, { id: u.links[BANK] }, u.user);
    expect(unlinked.body).toEqual({ data: { unlinkInstitution: { status: "REVOKED" } } });
    expect(await cacheEntries()).toBe(before);
    await bankToldOfRevocation(recordedBefore);
    t.resetBankCalls();
    expect((await t.gql(DASHBOARD, {}, u.app)).body.data).toEqual({ accounts: [] });
    expect(callsAt(BANK)).toEqual({});
  });

  it("purges on revocation, and the next read is denied by consent — not served from the cache", async () => {
    const u = await user("revoke");
    const before = await cacheEntries();
    await dashboard(u);
    expect(await cacheEntries()).toBeGreaterThan(before);

    const recordedBefore = recordedRevocations(t.mocks.bank(BANK)).length;
    const revoked = await t.gql(`mutation($id: ID!) { revokeConsent(id: $id) { status } }`, { id: u.consents[BANK] }, u.user);
    expect(revoked.body).toEqual({ data: { revokeConsent: { status: "REVOKED" } } });
    expect(await cacheEntries()).toBe(before);

    await bankToldOfRevocation(recordedBefore);
    t.resetBankCalls();
    const response = await t.gql(DASHBOARD, {}, u.app);
    expect(JSON.stringify(response.body.data)).not.toContain('"amount"');
    expect(response.body.data.accounts.every((a: unknown) => a === null)).toBe(true);
    expect(response.body.errors!.map((e) => [e.extensions?.["code"], e.extensions?.["reason"]])).toEqual([["UNAUTHORIZED_FIELD_OR_TYPE", "REVOKED"]]);
    expect(callsAt(BANK)).toEqual({});
  });

  it("a warm cache never bypasses the guard: balances cached under one consent are denied under the next", async () => {
    const u = await user("narrowed");
    const warm = await dashboard(u);
    expect(warm.accounts.every((a) => a!.balance !== null)).toBe(true);

    // The app asks again with accounts:read only; the user's authorization supersedes the old consent.
    await t.grant(u, BANK, ["accounts:read"]);
    t.resetBankCalls();
    const response = await t.gql<Dashboard>(DASHBOARD, {}, u.app);
    expect(callsAt(BANK)).toEqual({}); // the account list still came from the cache …
    expect(response.body.data!.accounts.map((a) => a!.id)).toEqual(warm.accounts.map((a) => a!.id));
    expect(response.body.data!.accounts.every((a) => a!.balance === null)).toBe(true); // … the cached balances did not
    expect(response.body.errors!.map((e) => [e.extensions?.["code"], e.path?.at(-1)])).toEqual(
      warm.accounts.map(() => ["UNAUTHORIZED_FIELD_OR_TYPE", "balance"]),
    );
  });
});

describe("transaction pages and bank events", () => {
  const WITH_TRANSACTIONS = `query Recent { accounts { id transactions(first: 3) { nodes { id amount { amount } } } } }`;
  type Recent = { accounts: Array<{ id: string; transactions: { nodes: Array<{ id: string; amount: { amount: string } }> } }> };
  let t: TestGateway;

  beforeAll(async () => {
    // The gateway's clock starts at the real now: the bank's webhook signatures are stamped with it.
    t = await startTestGateway({ mocks: { banks: [BANK] }, env: { UPSTREAM_CACHE_TTL_MS: String(TTL_MS) } });
    await targetWebhooks(t.mocks.adminUrl, t.gateway);
  });
  afterAll(() => t?.close());

  const recent = async (u: TestUser) => {
    const response = await t.gql<Recent>(WITH_TRANSACTIONS, {}, u.app);
    expect(response.body.errors).toBeUndefined();
    return response.body.data!;
  };
  const kinds = () =>
    t.mocks
      .bank(BANK)
      .requestLog()
      .map((r) => r.kind);

  it("keeps first pages for the TTL, and forgets them when the bank reports a new transaction", async () => {
    const u = await t.newUser("pages", [BANK]);
    await t.grant(u, BANK, ["accounts:read", "transactions:read"]);
    t.resetBankCalls();
    const cold = await recent(u);
    expect(kinds()).toEqual(["accounts", "transactions"]);

    t.resetBankCalls();
    expect(await recent(u)).toEqual(cold);
    expect(kinds()).toEqual([]);

    const posted = await bankEvent(t.mocks.adminUrl, BANK, { kind: "transaction_posted", amountMinor: 2_468 });
    expect(posted.delivery).toMatchObject({ status: 200, response: { accepted: 1 } });
    await t.gateway.services.webhooks.settle();

    t.resetBankCalls();
    const after = await recent(u);
    expect(kinds()).toEqual(["accounts", "transactions"]);
    const newest = after.accounts.map((a) => a.transactions.nodes[0]!);
    expect(newest.some((n) => n.amount.amount === "-24.68")).toBe(true);
    expect(after).not.toEqual(cold);
  });
});

describe("single flight", () => {
  const CONCURRENT = 5;
  let t: TestGateway;

  beforeAll(async () => {
    // TTL 0: nothing is kept, so every saved call below is coalescing, not caching.
    t = await startTestGateway({ mocks: { banks: [BANK] }, env: { UPSTREAM_CACHE_TTL_MS: "0" } });
  });
  afterAll(() => t?.close());

  it(`${CONCURRENT} concurrent identical queries make one bank call per kind`, async () => {
    const u = await t.newUser("flight", [BANK]);
    await t.grant(u, BANK, ["accounts:read", "balances:read"]);
    const accountCount = t.mocks.bank(BANK).data.accountsOf("alice").length;
    const before = await scrape(t.url);
    t.resetBankCalls();
    await t.mocks.bank(BANK).setFaults({ latencyMs: 600 }); // keeps the first call in flight while the others arrive
    let responses: GraphQLResponse<Dashboard>[];
    try {
      responses = await Promise.all(Array.from({ length: CONCURRENT }, () => t.gql<Dashboard>(DASHBOARD, {}, u.app)));
    } finally {
      await t.mocks.bank(BANK).resetFaults();
    }

    for (const response of responses) {
      expect(response.body.errors).toBeUndefined();
      expect(response.body).toEqual(responses[0]!.body);
    }
    expect(
      t.mocks
        .bank(BANK)
        .requestLog()
        .map((r) => r.kind),
    ).toEqual(["accounts", "balances"]);
    const after = await scrape(t.url);
    const delta = (labels: Record<string, string>) =>
      (sample(after, "bankgraph_upstream_cache_lookups_total", labels) ?? 0) - (sample(before, "bankgraph_upstream_cache_lookups_total", labels) ?? 0);
    expect(delta({ kind: "accounts", result: "miss" })).toBe(1);
    expect(delta({ kind: "accounts", result: "coalesced" })).toBe(CONCURRENT - 1);
    expect(delta({ kind: "balance", result: "miss" })).toBe(accountCount);
    expect(delta({ kind: "balance", result: "coalesced" })).toBe((CONCURRENT - 1) * accountCount);

    // Nothing kept: the next query calls again.
    t.resetBankCalls();
    await t.gql(DASHBOARD, {}, u.app);
    expect(
      t.mocks
        .bank(BANK)
        .requestLog()
        .map((r) => r.kind),
    ).toEqual(["accounts", "balances"]);
  });
});
