/**
 * The consent lifecycle end to end, with an injected clock, over GraphQL over HTTP against the
 * mock banks — once on embedded PGlite and once on real PostgreSQL. Every denial is checked where
 * the app meets it (the next request), with its reason, and at the bank (no call).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DAY_MS, ManualClock } from "../../src/clock.js";
import type { Database } from "../../src/store/database.js";
import { storeBackends } from "../support/databases.js";
import { TEST_ANCHOR, startTestGateway, type GraphQLResponse, type TestGateway, type TestUser } from "../support/gateway.js";
import {
  CONSENT_FIELDS,
  SCOUT,
  byPath,
  consentsOf,
  dataOf,
  decide,
  denialsOf,
  grantFor,
  onlyError,
  registerScout,
  requestConsent,
  totalCallsAt,
} from "./consent-harness.js";

/** Mid-day on the mock banks' "today", so history windows line up with their data. */
const START = new Date(TEST_ANCHOR.getTime() + 12 * 3_600_000);
const BANK = "chase";

const READ = `query Read {
  links { id institution { id } accounts { id } }
  accounts { id institution { id } balance { current { amount } } }
}`;

const EVENTS = `query Events($consentId: ID) { consentEvents(consentId: $consentId, first: 100) { nodes { consentId type actor at } } }`;

/** The app reads; the consent must grant accounts and balances and the bank must be asked. */
async function expectGranted(t: TestGateway, user: TestUser): Promise<void> {
  t.resetBankCalls();
  const response = await t.gql(READ, {}, user.app);
  expect(response.body.errors).toBeUndefined();
  const { links, accounts } = response.body.data;
  expect(links).toHaveLength(1);
  expect(links[0].accounts.length).toBeGreaterThan(0);
  expect(accounts).toHaveLength(links[0].accounts.length);
  for (const account of accounts) expect(account.balance.current.amount).toMatch(/^-?\d+\.\d{2}$/);
  expect(totalCallsAt(t, BANK)).toBeGreaterThan(0);
}

/** The app reads; everything is withheld for `reason`, at the link and in the flat list, without a bank call. */
async function expectDenied(t: TestGateway, user: TestUser, reason: string): Promise<void> {
  t.resetBankCalls();
  const response = await t.gql(READ, {}, user.app);
  expect(response.status).toBe(200);
  expect(response.body.data).toEqual({
    links: [{ id: user.links[BANK], institution: { id: BANK }, accounts: null }],
    accounts: [null],
  });
  const denial = { requiredScopes: [["accounts:read"]], institutionId: BANK, reason };
  expect(byPath(denialsOf(response))).toEqual(
    byPath([
      { path: ["links", 0, "accounts"], ...denial },
      { path: ["accounts", 0], ...denial },
    ]),
  );
  expect(totalCallsAt(t, BANK)).toBe(0);
}

function codeOf(response: GraphQLResponse): string {
  return onlyError(response).extensions?.["code"];
}

describe.each(await storeBackends())("consent lifecycle on $name", (backend) => {
  let db: Database;
  let t: TestGateway;
  const clock = new ManualClock(START);

  beforeAll(async () => {
    db = await backend.open();
    t = await startTestGateway({ clock, db, mocks: { banks: [BANK] } });
    await registerScout(t);
  });
  afterAll(async () => {
    await t?.close();
    await db?.close();
  });
  beforeEach(() => clock.set(START));

  async function request(user: TestUser, scopes = ["accounts:read", "balances:read"]): Promise<string> {
    const response = await requestConsent(t, user, BANK, { scopes });
    return dataOf(response, "requestConsent").requestConsent.id;
  }

  it("a request grants nothing while AWAITING_AUTHORIZATION", async () => {
    const user = await t.newUser("awaiting", [BANK]);
    const response = await requestConsent(t, user, BANK, { scopes: ["accounts:read", "balances:read"], durationDays: 30 });
    expect(response.body.data.requestConsent).toMatchObject({ status: "AWAITING_AUTHORIZATION", expiresAt: null, scopes: ["accounts:read", "balances:read"] });
    await expectDenied(t, user, "AWAITING_AUTHORIZATION");
  });

  it("only a user-present token (consent:manage) can authorize or reject; the app gets FORBIDDEN", async () => {
    const user = await t.newUser("present", [BANK]);
    const id = await request(user);
    for (const action of ["authorizeConsent", "rejectConsent"] as const) {
      const refused = await decide(t, action, id, user.app);
      expect(codeOf(refused)).toBe("FORBIDDEN");
      expect(refused.body.data).toBeNull();
    }
    expect((await consentsOf(t, user.user)).map((c) => c.status)).toEqual(["AWAITING_AUTHORIZATION"]);
    await expectDenied(t, user, "AWAITING_AUTHORIZATION");

    clock.advance(3_600_000);
    const authorized = dataOf(await decide(t, "authorizeConsent", id, user.user), "authorize").authorizeConsent;
    expect(authorized.status).toBe("AUTHORIZED");
    expect(authorized.expiresAt).toBe(new Date(clock.now().getTime() + 90 * DAY_MS).toISOString());
    await expectGranted(t, user);
  });

  it("a rejected request grants nothing and can no longer be authorized", async () => {
    const user = await t.newUser("rejected", [BANK]);
    const id = await request(user);
    expect(dataOf(await decide(t, "rejectConsent", id, user.user), "reject").rejectConsent.status).toBe("REJECTED");
    await expectDenied(t, user, "REJECTED");
    const late = await decide(t, "authorizeConsent", id, user.user);
    expect(onlyError(late).extensions).toMatchObject({ code: "CONSENT_INVALID", reason: "ILLEGAL_TRANSITION", status: "REJECTED" });
    await expectDenied(t, user, "REJECTED");
  });

  it.each([
    { by: "the user", actor: "USER" },
    { by: "the app", actor: "CLIENT" },
  ])("revoked by $by: denied on the very next request", async ({ actor }) => {
    const user = await t.newUser("revoked", [BANK]);
    const id = await t.grant(user, BANK, ["accounts:read", "balances:read"]);
    await expectGranted(t, user);
    const revoked = dataOf(await decide(t, "revokeConsent", id, actor === "USER" ? user.user : user.app), "revoke").revokeConsent;
    expect(revoked.status).toBe("REVOKED");
    await expectDenied(t, user, "REVOKED");
    const events = dataOf(await t.gql(EVENTS, { consentId: id }, user.app), "events").consentEvents.nodes;
    expect(events.map((e: any) => [e.type, e.actor])).toEqual([
      ["REQUESTED", "CLIENT"],
      ["AUTHORIZED", "USER"],
      ["REVOKED", actor],
    ]);
  });

  it("another app can neither revoke nor see this app's consent", async () => {
    const user = await t.newUser("cross-app", [BANK]);
    const id = await t.grant(user, BANK, ["accounts:read", "balances:read"]);
    const other = await t.token(user.userId, { client: SCOUT });
    expect(codeOf(await decide(t, "revokeConsent", id, other))).toBe("NOT_FOUND");
    expect(await consentsOf(t, other)).toEqual([]);
    expect(dataOf(await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id }, other), "node")).toEqual({ node: null });
    await expectGranted(t, user);
  });

  it("expires exactly at expiresAt, with no sweeper run", async () => {
    const user = await t.newUser("expiry", [BANK]);
    await grantFor(t, user, BANK, ["accounts:read", "balances:read"], "messenger-test", { durationDays: 30 });
    const expiresAt = new Date(START.getTime() + 30 * DAY_MS);
    expect((await consentsOf(t, user.user))[0]).toMatchObject({ status: "AUTHORIZED" });

    clock.set(new Date(expiresAt.getTime() - 1));
    await expectGranted(t, user);
    clock.set(expiresAt);
    await expectDenied(t, user, "EXPIRED");
    expect((await consentsOf(t, user.user)).map((c) => c.status)).toEqual(["EXPIRED"]);
    // Nothing caught the store up: the row still says AUTHORIZED and no EXPIRED event exists.
    const rows = await db.query<{ status: string }>("SELECT status FROM consents WHERE user_id = $1", [user.userId]);
    expect(rows.map((r) => r.status)).toEqual(["AUTHORIZED"]);
    const events = dataOf(await t.gql(EVENTS, {}, user.user), "events").consentEvents.nodes;
    expect(events.map((e: any) => e.type)).toEqual(["REQUESTED", "AUTHORIZED"]);
  });

  it.each(["ADVERTISING", "MARKETING", "DATA_RESALE", "data resale", "Marketing"])(
    "purpose %s is refused with PURPOSE_FORBIDDEN and nothing is stored",
    async (purpose) => {
      const user = await t.newUser("purpose", [BANK]);
      const response = await requestConsent(t, user, BANK, { scopes: ["accounts:read"], purpose });
      expect(response.body.data).toBeNull();
      expect(onlyError(response).extensions).toMatchObject({ code: "PURPOSE_FORBIDDEN", reason: "PURPOSE_FORBIDDEN" });
      expect(await consentsOf(t, user.user)).toEqual([]);
      expect(await db.query("SELECT id FROM consents WHERE user_id = $1", [user.userId])).toEqual([]);
      expect(await db.query("SELECT id FROM consent_events WHERE user_id = $1", [user.userId])).toEqual([]);
    },
  );

  it.each([
    { case: "durationDays 366", input: { scopes: ["accounts:read"], durationDays: 366 } },
    { case: "durationDays 0", input: { scopes: ["accounts:read"], durationDays: 0 } },
    { case: "historyDays 0", input: { scopes: ["accounts:read"], historyDays: 0 } },
    { case: "an unknown purpose", input: { scopes: ["accounts:read"], purpose: "CURIOSITY" } },
    { case: "the token scope consent:manage", input: { scopes: ["consent:manage"] } },
    { case: "no scopes", input: { scopes: [] } },
  ])("$case is BAD_USER_INPUT and nothing is stored", async ({ input }) => {
    const user = await t.newUser("bad-input", [BANK]);
    const response = await requestConsent(t, user, BANK, input);
    expect(response.body.data ?? null).toBeNull();
    expect(codeOf(response)).toBe("BAD_USER_INPUT");
    expect(await consentsOf(t, user.user)).toEqual([]);
    expect(await db.query("SELECT id FROM consent_events WHERE user_id = $1", [user.userId])).toEqual([]);
  });

  it("durationDays 365 is the longest accepted", async () => {
    const user = await t.newUser("year", [BANK]);
    await grantFor(t, user, BANK, ["accounts:read", "balances:read"], "messenger-test", { durationDays: 365 });
    const [consent] = await consentsOf(t, user.user);
    expect(consent).toMatchObject({ status: "AUTHORIZED", durationDays: 365 });
    expect(consent!.expiresAt).toBe(new Date(START.getTime() + 365 * DAY_MS).toISOString());
  });

  it("the history window hides older transactions whatever `from` the app asks", async () => {
    const user = await t.newUser("history", [BANK]);
    await t.grant(user, BANK, ["accounts:read", "transactions:read"]);
    const accountId = dataOf(await t.gql(`{ accounts { id } }`, {}, user.app), "accounts").accounts[0].id;
    const page = (from: string | null, to: string | null) =>
      t.gql(
        `query Tx($id: ID!, $from: LocalDate, $to: LocalDate) { account(id: $id) { transactions(first: 100, from: $from, to: $to) { nodes { date } pageInfo { hasNextPage } } } }`,
        { id: accountId, from, to },
        user.app,
      );
    // Without a window, older transactions exist: the assertions below can fail.
    const before = dataOf(await page("2025-06-01", "2026-04-30"), "no window").account.transactions.nodes;
    expect(before.length).toBeGreaterThan(0);

    await t.grant(user, BANK, ["accounts:read", "transactions:read"], { historyDays: 30 });
    const earliest = new Date(START.getTime() - 30 * DAY_MS).toISOString().slice(0, 10);
    expect(dataOf(await page("2025-06-01", "2026-04-30"), "outside").account.transactions).toEqual({ nodes: [], pageInfo: { hasNextPage: false } });
    const inside = dataOf(await page("2024-01-01", null), "inside").account.transactions;
    expect(inside.pageInfo.hasNextPage).toBe(false);
    expect(inside.nodes.length).toBeGreaterThan(0);
    expect(inside.nodes.filter((n: any) => n.date < earliest)).toEqual([]);
    expect(inside.nodes.some((n: any) => n.date < new Date(START.getTime() - 20 * DAY_MS).toISOString().slice(0, 10))).toBe(true);
  });

  it("lists the user's consent events in the order they happened; an app sees only its own consents' events", async () => {
    const user = await t.newUser("events", [BANK]);
    const id = await request(user);
    clock.advance(60_000);
    dataOf(await decide(t, "authorizeConsent", id, user.user), "authorize");
    clock.advance(60_000);
    dataOf(await decide(t, "revokeConsent", id, user.user), "revoke");
    const expected = [
      { consentId: id, type: "REQUESTED", actor: "CLIENT", at: START.toISOString() },
      { consentId: id, type: "AUTHORIZED", actor: "USER", at: new Date(START.getTime() + 60_000).toISOString() },
      { consentId: id, type: "REVOKED", actor: "USER", at: new Date(START.getTime() + 120_000).toISOString() },
    ];
    expect(dataOf(await t.gql(EVENTS, {}, user.user), "user events").consentEvents.nodes).toEqual(expected);
    expect(dataOf(await t.gql(EVENTS, { consentId: id }, user.app), "app events").consentEvents.nodes).toEqual(expected);
    expect(codeOf(await t.gql(EVENTS, {}, user.app))).toBe("FORBIDDEN");

    // That was the link's last live consent, so Bankgraph's grant at the bank was revoked with it:
    // another app's consent takes a new authorization at the bank (the same link comes back).
    await t.linkAtBank(user.userId, BANK);
    const scoutConsent = await grantFor(t, user, BANK, ["accounts:read"], SCOUT);
    const foreign = await t.gql(EVENTS, { consentId: scoutConsent }, user.app);
    expect(foreign.body.data).toBeNull();
    expect(codeOf(foreign)).toBe("NOT_FOUND");
  });

  it("unlinkInstitution revokes the link's consents and removes its token; the app loses access", async () => {
    const user = await t.newUser("unlink", [BANK]);
    const id = await t.grant(user, BANK, ["accounts:read", "balances:read"]);
    await expectGranted(t, user);
    const accountId = dataOf(await t.gql(`{ accounts { id } }`, {}, user.app), "accounts").accounts[0].id;

    const byApp = await t.gql(`mutation($id: ID!) { unlinkInstitution(linkId: $id) { id status } }`, { id: user.links[BANK] }, user.app);
    expect(codeOf(byApp)).toBe("FORBIDDEN");
    await expectGranted(t, user);

    const unlinked = dataOf(await t.gql(`mutation($id: ID!) { unlinkInstitution(linkId: $id) { id status } }`, { id: user.links[BANK] }, user.user), "unlink");
    expect(unlinked.unlinkInstitution).toEqual({ id: user.links[BANK], status: "REVOKED" });
    const consents = dataOf(await t.gql(`{ consents { ${CONSENT_FIELDS} } }`, {}, user.user), "consents").consents;
    expect(consents.map((c: any) => [c.id, c.status])).toEqual([[id, "REVOKED"]]);

    t.resetBankCalls();
    const read = await t.gql(`query($id: ID!) { links { id } accounts { id } account(id: $id) { id } }`, { id: accountId }, user.app);
    expect(read.body).toEqual({ data: { links: [], accounts: [], account: null } });
    expect(totalCallsAt(t, BANK)).toBe(0);
    const tokens = await db.query<{ access_token_ciphertext: string | null }>("SELECT access_token_ciphertext FROM links WHERE user_id = $1", [user.userId]);
    expect(tokens).toEqual([{ access_token_ciphertext: null }]);
    const events = dataOf(await t.gql(EVENTS, { consentId: id }, user.user), "events").consentEvents.nodes;
    expect(events.map((e: any) => [e.type, e.actor])).toEqual([
      ["REQUESTED", "CLIENT"],
      ["AUTHORIZED", "USER"],
      ["REVOKED", "USER"],
    ]);
  });
});
