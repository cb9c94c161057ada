/**
 * Renewal over GraphQL (HTTP and WebSocket), issue 13 item 4: the person renews a consent and it
 * keeps its id, link, scopes and purpose, with expiresAt = now + its duration; RENEWED is on the
 * record (actor USER); the app is told (consentRenewed, events(kinds: CONSENT_RENEWED)). Refused —
 * and nothing changes — for an app's token, another person's consent, a link whose bank grant no
 * longer holds, an expired consent. Asking for more is never a renewal: a wider request is a new
 * consent and the old one is untouched until the person authorizes the new. A denial for a missing
 * scope names the consent that decided it (extensions.consentId).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, ManualClock } from "../../src/clock.js";
import { LinkStatus } from "../../src/domain/link.js";
import { decodeGlobalId } from "../../src/schema/global-id.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { closeClient, collect, subscribersReady, wsClient } from "../realtime/realtime-support.js";

const CONSENT = "id status expiresAt scopes purpose durationDays link { id }";
const RENEW = `mutation($id: ID!) { renewConsent(id: $id) { ${CONSENT} } }`;
const clock = new ManualClock(new Date("2026-07-01T09:00:00Z"));
let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway({ clock, mocks: { banks: ["chase", "citi"] }, env: { CONSENT_EXPIRY_SWEEP_MS: "0" } });
}, 120_000);
afterAll(() => t?.close());

async function consentOf(user: TestUser, id: string) {
  const response = await t.gql(`query { consents { ${CONSENT} } }`, {}, user.user);
  return (response.body.data.consents as Array<{ id: string; expiresAt: string }>).find((c) => c.id === id)!;
}

async function eventTypes(user: TestUser, id: string): Promise<Array<[string, string]>> {
  const response = await t.gql("query($id: ID!) { consentEvents(consentId: $id) { nodes { type actor } } }", { id }, user.user);
  return response.body.data.consentEvents.nodes.map((e: { type: string; actor: string }) => [e.type, e.actor]);
}

const localLinkId = (globalId: string) => decodeGlobalId(globalId)!.parts[0]!;

describe("renewConsent", () => {
  it("keeps the consent and link ids, scopes and purpose; expiresAt becomes now + duration; RENEWED; the app is told", async () => {
    const user = await t.newUser("renew", ["chase"]);
    const id = await t.grant(user, "chase", ["accounts:read", "balances:read"], { durationDays: 30 });
    const before = await consentOf(user, id);
    const client = wsClient(t.gateway, user.app);
    const renewed = collect(client, "subscription { consentRenewed { id status expiresAt } }");
    await subscribersReady(t.gateway, user.userId);

    clock.advance(10 * DAY_MS);
    const response = await t.gql(RENEW, { id }, user.user);
    expect(response.body.errors).toBeUndefined();
    const expected = new Date(clock.now().getTime() + 30 * DAY_MS).toISOString();
    expect(response.body.data.renewConsent).toEqual({ ...before, expiresAt: expected });
    expect(await consentOf(user, id)).toEqual({ ...before, expiresAt: expected });
    expect(await eventTypes(user, id)).toEqual([
      ["REQUESTED", "CLIENT"],
      ["AUTHORIZED", "USER"],
      ["RENEWED", "USER"],
    ]);

    expect((await renewed.nth(1)).data!.consentRenewed).toEqual({ id, status: "AUTHORIZED", expiresAt: expected });
    const caughtUp = await t.gql("query { events(first: 10, kinds: [CONSENT_RENEWED]) { nodes { kind consent { id expiresAt } } } }", {}, user.app);
    expect(caughtUp.body.data.events.nodes).toEqual([{ kind: "CONSENT_RENEWED", consent: { id, expiresAt: expected } }]);
    await closeClient(client, t.gateway, user.userId);
  });

  it("is refused, changing nothing, to an app's token, for another person's consent, while the bank needs a new login, and once expired", async () => {
    const user = await t.newUser("refused", ["chase"]);
    const stranger = await t.newUser("stranger", []);
    const id = await t.grant(user, "chase", ["accounts:read"], { durationDays: 20 });
    const before = await consentOf(user, id);

    const byApp = await t.gql(RENEW, { id }, user.app);
    expect(byApp.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const byStranger = await t.gql(RENEW, { id }, stranger.user);
    expect(byStranger.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(byStranger.body.errors?.[0]?.message).toBe("Consent not found");

    await t.gateway.services.links.setStatus(localLinkId(user.links["chase"]!), LinkStatus.LOGIN_REQUIRED);
    const loginRequired = await t.gql(RENEW, { id }, user.user);
    expect(loginRequired.body.errors?.[0]?.extensions).toMatchObject({ code: "LOGIN_REQUIRED", reason: "RECONNECT_AT_BANK", institutionId: "chase" });
    expect(loginRequired.body.errors?.[0]?.message).toMatch(/reconnect at the bank/);
    await t.gateway.services.links.setStatus(localLinkId(user.links["chase"]!), LinkStatus.ACTIVE);

    clock.advance(20 * DAY_MS);
    const expired = await t.gql(RENEW, { id }, user.user);
    expect(expired.body.errors?.[0]?.extensions).toMatchObject({ code: "CONSENT_INVALID", reason: "ILLEGAL_TRANSITION", status: "EXPIRED" });

    expect(await consentOf(user, id)).toEqual({ ...before, status: "EXPIRED" });
    expect(await eventTypes(user, id)).toEqual([
      ["REQUESTED", "CLIENT"],
      ["AUTHORIZED", "USER"],
    ]);
  });
});

describe("widening is never a renewal", () => {
  it("a request for more scopes is a NEW consent; the old one is unchanged until the person authorizes the new one", async () => {
    const user = await t.newUser("widen", ["chase"]);
    const old = await t.grant(user, "chase", ["accounts:read"], { durationDays: 60 });
    const before = await consentOf(user, old);
    const wider = await t.gql(
      "mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id status } }",
      { input: { linkId: user.links["chase"], scopes: ["accounts:read", "balances:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 60 } },
      user.app,
    );
    const newId = wider.body.data.requestConsent.id as string;
    expect(newId).not.toBe(old);
    expect(wider.body.data.requestConsent.status).toBe("AWAITING_AUTHORIZATION");
    expect(await consentOf(user, old)).toEqual(before);
    // The app still reads under the old consent, and is still denied the wider scope.
    const meanwhile = await t.gql("query { accounts { balance { current { amount } } } }", {}, user.app);
    expect(meanwhile.body.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHORIZED_FIELD_OR_TYPE", reason: "NOT_GRANTED", consentId: old });

    await t.gql("mutation($id: ID!) { authorizeConsent(id: $id) { id } }", { id: newId }, user.user);
    expect(await consentOf(user, old)).toMatchObject({ status: "REVOKED" });
    expect(await consentOf(user, newId)).toMatchObject({ status: "AUTHORIZED", scopes: ["accounts:read", "balances:read"] });
  });
});

describe("a denial names the consent that decided", () => {
  it("extensions.consentId is the deciding consent's id: a missing scope, then a revoked consent; null without a consent", async () => {
    const user = await t.newUser("denial", ["citi", "chase"]);
    const id = await t.grant(user, "citi", ["accounts:read"]);
    const missing = await t.gql("query { accounts { id balance { current { amount } } } }", {}, user.app);
    expect(missing.body.data.accounts.length).toBeGreaterThan(0);
    expect(missing.body.errors!.length).toBeGreaterThan(0);
    for (const error of missing.body.errors!) {
      expect(error.extensions).toMatchObject({ code: "UNAUTHORIZED_FIELD_OR_TYPE", reason: "NOT_GRANTED", requiredScopes: [["balances:read"]], consentId: id });
    }

    // chase is linked, but this app has no consent on it at all.
    const none = await t.gql("query { links { institution { id } accounts { id } } }", {}, user.app);
    const chase = none.body.errors!.filter((e) => e.extensions?.["institutionId"] === "chase");
    expect(chase.map((e) => e.extensions)).toEqual([
      { code: "UNAUTHORIZED_FIELD_OR_TYPE", requiredScopes: [["accounts:read"]], institutionId: "chase", reason: "NOT_GRANTED", consentId: null },
    ]);

    await t.gql("mutation($id: ID!) { revokeConsent(id: $id) { status } }", { id }, user.user);
    const revoked = await t.gql("query { accounts { id } }", {}, user.app);
    expect(revoked.body.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHORIZED_FIELD_OR_TYPE", reason: "REVOKED", consentId: id });
  });
});
