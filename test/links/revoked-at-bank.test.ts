/**
 * Access removed at the bank reaches Bankgraph, over real HTTP end to end. The person, at the bank's
 * own connected-apps page (the mocks' HTTP driver), removes Bankgraph's access; the bank revokes the
 * grant and pushes a signed Security Event Token to the gateway's /bank-notifications/<bank>; the
 * gateway verifies it against the bank's published keys and, in one transaction, marks the link
 * LOGIN_REQUIRED and revokes its consents (actor SYSTEM, reason REVOKED_AT_BANK). The app learns it
 * from its consentRevoked subscription, and its next read is denied as REVOKED. One bank of each
 * request style (FDX, UK, plain scopes): each names its grant by the grant_id of its token response.
 *
 * A forged, unsigned, misaddressed or replayed SET changes nothing; and a bank that revokes silently
 * (its next answer is 401, then invalid_grant on refresh) ends in the same state.
 */
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PASSWORD } from "../../mocks/data/catalog.js";
import { removeAccessAtBank, type ListedApp } from "../../mocks/oauth/person-at-bank.js";
import { UNCACHED_ENV, PATIENT_ENV } from "../support/dashboard.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { decodeGlobalId } from "../../src/schema/global-id.js";
import { closeClient, collect, linkOf, subscribersReady, wsClient } from "../realtime/realtime-support.js";

const SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
const REVOKED_SUBSCRIPTION = "subscription R($after: String) { consentRevoked(after: $after) { id status } }";
const BALANCES = `{ accounts { id balance { current { amount } } } }`;
const LINKS = `{ links { id status institution { id } } }`;

let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway({ env: { ...UNCACHED_ENV, ...PATIENT_ENV, BANK_RETRIES: "0" } });
});
afterAll(() => t?.close());

/** A fresh person with `bank` linked (as alice at the bank) and the app granted accounts and balances. */
async function grantedUser(prefix: string, bank: string): Promise<{ user: TestUser; consentId: string; linkId: string; grantId: string }> {
  const user = await t.newUser(prefix, [bank]);
  const consentId = await t.grant(user, bank, ["accounts:read", "balances:read"]);
  const linkId = linkOf(user.links[bank]!)!;
  const link = await t.gateway.services.links.findById(linkId);
  expect(link?.bankGrantId, "the link keeps the bank's grant_id").toEqual(expect.any(String));
  return { user, consentId, linkId, grantId: link!.bankGrantId! };
}

async function linkStatus(user: TestUser, bank: string): Promise<string | undefined> {
  const response = await t.gql<{ links: Array<{ status: string; institution: { id: string } }> }>(LINKS, {}, user.app);
  return response.body.data!.links.find((l) => l.institution.id === bank)?.status;
}

/** The REVOKED events of a consent as stored: who and why. */
async function revocationsOf(consentId: string): Promise<Array<{ actor: string; reason: unknown }>> {
  const rows = await t.gateway.services.db.query<{ actor: string; detail: { reason?: unknown } }>(
    "SELECT actor, detail FROM consent_events WHERE consent_id = $1 AND type = 'REVOKED'",
    [consentId],
  );
  return rows.map((r) => ({ actor: r.actor, reason: r.detail.reason }));
}

/** The app's balances read: the bank's accounts come back, or the one denial standing in for them. */
async function readAsApp(user: TestUser) {
  const response = await t.gql<{ accounts: Array<unknown> }>(BALANCES, {}, user.app);
  expect(response.status).toBe(200);
  return response.body;
}

const hiddenValue = (app: ListedApp, name: string) => app.form.fields.find((f) => f.attributes.name === name)?.attributes.value;

async function postSet(bank: string, set: string, contentType = "application/secevent+jwt") {
  const response = await fetch(`${t.gateway.publicUrl}/bank-notifications/${bank}`, { method: "POST", headers: { "content-type": contentType }, body: set });
  return { status: response.status, body: response.status === 202 ? null : ((await response.json()) as { err: string; description: string }) };
}

describe("the person removes access on the bank's connected-apps page", () => {
  it.each(["chase", "citi", "wells_fargo"])("%s: signed notice → link LOGIN_REQUIRED, consents REVOKED_AT_BANK, the app told and denied", async (bank) => {
    const { user, consentId, grantId } = await grantedUser(`notice-${bank}`, bank);
    const before = await readAsApp(user);
    expect(before.errors).toBeUndefined();
    expect(before.data!.accounts.length).toBeGreaterThan(0);

    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, REVOKED_SUBSCRIPTION, { after: null });
    await subscribersReady(t.gateway, user.userId);
    const removed = await removeAccessAtBank({
      bankUrl: t.mocks.urls[bank]!,
      username: "alice",
      password: DEFAULT_PASSWORD,
      appName: "Bankgraph",
      pick: (listed) => listed.find((app) => hiddenValue(app, "consent") === grantId),
    });
    expect(removed.html).toContain("Bankgraph can no longer see your");

    // The app is told through its subscription: the event is the wait.
    const told = await sub.nth(1, 30_000);
    expect(told.data!.consentRevoked).toEqual({ id: consentId, status: "REVOKED" });
    await closeClient(client, t.gateway, user.userId);

    expect(await revocationsOf(localConsentId(consentId))).toEqual([{ actor: "SYSTEM", reason: "REVOKED_AT_BANK" }]);
    expect(await linkStatus(user, bank)).toBe("LOGIN_REQUIRED");
    const delivery = await waitForDelivery(bank);
    expect(delivery).toMatchObject({ status: 202, attempts: 1, done: true, error: null });
    expect(t.mocks.bank(bank).consents.get(grantId)?.status).toBe("Revoked");

    // The app's next read is denied as REVOKED, without a call to the bank.
    t.resetBankCalls();
    const after = await readAsApp(user);
    expect(after.data!.accounts).toEqual([null]);
    expect(after.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "UNAUTHORIZED_FIELD_OR_TYPE", institutionId: bank, reason: "REVOKED" }) }),
    ]);
    expect(t.bankCalls()[bank]!.total).toBe(0);
  });
});

/** The consent's own id inside its global id (Consent: link, consent). */
function localConsentId(globalId: string): string {
  return decodeGlobalId(globalId)!.parts[1]!;
}

describe("a SET the gateway must refuse changes nothing", () => {
  let user: TestUser;
  let grantId: string;

  beforeAll(async () => {
    ({ user, grantId } = await grantedUser("refused", "us_bank"));
  });

  async function unchanged(): Promise<void> {
    expect(await linkStatus(user, "us_bank")).toBe("ACTIVE");
    const read = await readAsApp(user);
    expect(read.errors).toBeUndefined();
    expect(read.data!.accounts.length).toBeGreaterThan(0);
  }

  const claims = () => ({
    sub_id: { format: "opaque", id: grantId },
    events: { [SESSION_REVOKED]: { event_timestamp: Math.floor(Date.now() / 1000), initiating_entity: "user" } },
  });

  it("signed with a key the bank does not publish, under the bank's own kid: invalid_key", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const published = (await (await fetch(`${t.mocks.urls["us_bank"]}/oauth/jwks`)).json()) as { keys: Array<{ kid: string }> };
    const kid = published.keys[0]!.kid;
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: "ES256", kid, typ: "secevent+jwt" })
      .setIssuer(t.mocks.urls["us_bank"]!)
      .setAudience("bankgraph")
      .setIssuedAt()
      .setJti(crypto.randomUUID())
      .sign(privateKey);
    expect(await postSet("us_bank", forged)).toEqual({ status: 400, body: { err: "invalid_key", description: expect.any(String) } });
    await unchanged();
  });

  it("unsigned (alg none): refused", async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${part({ alg: "none", typ: "secevent+jwt" })}.${part({ ...claims(), iss: t.mocks.urls["us_bank"], aud: "bankgraph", iat: now, jti: crypto.randomUUID() })}.`;
    expect(await postSet("us_bank", unsigned)).toEqual({
      status: 400,
      body: { err: "invalid_request", description: "The SET must be signed with one of ES256, ES384, PS256, RS256, EdDSA" },
    });
    await unchanged();
  });

  it("not a SET, the wrong media type, an unknown bank: clear refusals", async () => {
    expect(await postSet("us_bank", "hello")).toEqual({ status: 400, body: { err: "invalid_request", description: "The body is not a signed JWT" } });
    expect(await postSet("us_bank", "{}", "application/json")).toEqual({
      status: 400,
      body: { err: "invalid_request", description: "The body must be a Security Event Token sent as application/secevent+jwt" },
    });
    expect((await postSet("no-such-bank", "x")).status).toBe(404);
    await unchanged();
  });

  it("a genuine SET of another bank, posted as if from this one: invalid_key; replayed to its own bank: invalid_request", async () => {
    // A real notice from PayPal (another person's grant there), then the same bytes misused.
    const { grantId: paypalGrant } = await grantedUser("other-bank", "paypal");
    await removeAccessAtBank({
      bankUrl: t.mocks.urls["paypal"]!,
      username: "alice",
      password: DEFAULT_PASSWORD,
      appName: "Bankgraph",
      pick: (listed) => listed.find((app) => hiddenValue(app, "consent") === paypalGrant),
    });
    const delivered = await waitForDelivery("paypal");
    expect(delivered.status).toBe(202);
    expect(await postSet("us_bank", delivered.set)).toEqual({ status: 400, body: { err: "invalid_key", description: expect.any(String) } });
    expect(await postSet("paypal", delivered.set)).toEqual({
      status: 400,
      body: { err: "invalid_request", description: "This SET (its jti) was received before" },
    });
    await unchanged();
  });
});

/** The bank's last push, once the receiver has answered it. */
async function waitForDelivery(bank: string) {
  await t.mocks.bank(bank).securityEventsSettled();
  return t.mocks.bank(bank).securityEventDeliveries().at(-1)!;
}

describe("a bank that revokes without notice", () => {
  it("the next read's 401 and invalid_grant end in the same state: LOGIN_REQUIRED, consents REVOKED_AT_BANK, the app told", async () => {
    const { user, consentId } = await grantedUser("silent", "amex");
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, REVOKED_SUBSCRIPTION, { after: null });
    await subscribersReady(t.gateway, user.userId);
    const revoked = await fetch(`${t.mocks.adminUrl}/banks/amex/customers/alice/revoke`, { method: "POST" });
    expect(revoked.status).toBe(200);
    expect(t.mocks.bank("amex").securityEventDeliveries()).toEqual([]);

    // The read that meets the refusal says LOGIN_REQUIRED; the revocation happened in its refresh's transaction.
    const first = await readAsApp(user);
    expect(first.errors).toEqual([expect.objectContaining({ extensions: { code: "LOGIN_REQUIRED", institutionId: "amex" } })]);
    expect((await sub.nth(1, 30_000)).data!.consentRevoked).toEqual({ id: consentId, status: "REVOKED" });
    await closeClient(client, t.gateway, user.userId);
    expect(await revocationsOf(localConsentId(consentId))).toEqual([{ actor: "SYSTEM", reason: "REVOKED_AT_BANK" }]);
    expect(await linkStatus(user, "amex")).toBe("LOGIN_REQUIRED");

    const next = await readAsApp(user);
    expect(next.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "UNAUTHORIZED_FIELD_OR_TYPE", institutionId: "amex", reason: "REVOKED" }) }),
    ]);
  });
});
