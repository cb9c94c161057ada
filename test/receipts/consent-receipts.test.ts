/**
 * Signed consent receipts through the public interface: the app and the person over GraphQL, the
 * banks through their own OAuth pages, the gateway's key set over HTTP. A receipt is issued at
 * authorization and at every way a consent ends (the person, the app, unlinking, the system,
 * expiry); each verifies against /.well-known/jwks.json; it names the parties, purpose and data in
 * words and the accounts only by their last four digits; nothing of it is deleted by unlinking.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, ManualClock } from "../../src/clock.js";
import { ConsentActor } from "../../src/domain/consent.js";
import { RECEIPT_TYP } from "../../src/receipts/consent-receipt.js";
import { verifyConsentReceipt } from "../../src/receipts/receipt-verification.js";
import { decodeGlobalId } from "../../src/schema/global-id.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { fetchJwks, localConsentId, payloadOf, receiptsOf } from "./receipt-support.js";

let t: TestGateway;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  t = await startTestGateway({ clock, mocks: { banks: ["chase", "wells_fargo"] } });
}, 120_000);
afterAll(() => t?.close());

const linkIdOf = (globalId: string) => decodeGlobalId(globalId)!.parts[0]!;

describe("consent receipts", () => {
  it("/.well-known/jwks.json publishes the public key only, briefly cacheable", async () => {
    const { keys, response } = await fetchJwks(t);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/jwk-set\+json/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig", kid: t.gateway.services.signer.kid });
    expect(Object.keys(keys.keys[0]!).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
  });

  it("authorizing issues a receipt that verifies against the published keys and says it all in words", async () => {
    const alice = await t.newUser("rcpt-alice", ["chase"]);
    const consentId = await t.grant(alice, "chase", ["accounts:read", "balances:read"], { historyDays: 30 });
    const receipts = await receiptsOf(t, consentId, alice.user);
    expect(receipts.map((r) => r.event)).toEqual(["AUTHORIZED"]);
    const [receipt] = receipts;

    const { keys } = await fetchJwks(t);
    const verified = await verifyConsentReceipt(receipt!.jws, keys);
    expect(verified.kid).toBe(receipt!.keyId);
    const header = JSON.parse(Buffer.from(receipt!.jws.split(".")[0]!, "base64url").toString("utf8"));
    expect(header).toEqual({ alg: "ES256", kid: receipt!.keyId, typ: RECEIPT_TYP });
    const r = verified.receipt;
    expect(r).toMatchObject({
      receiptId: receipt!.id,
      event: "AUTHORIZED",
      consentId: localConsentId(consentId),
      status: "AUTHORIZED",
      parties: {
        person: { id: alice.userId },
        app: { id: "messenger-test", displayName: "Messenger (test)", legalName: "Messenger Test Ltd." },
        processor: { name: "Bankgraph" },
        bank: { id: "chase", name: "JPMorgan Chase" },
      },
      purpose: { code: "ACCOUNT_OVERVIEW", words: "So that it can show you your accounts and balances in one place" },
      historyWindow: { days: 30, words: "The last 30 days" },
      revokedOn: null,
      revokedBy: null,
      disclosureSha256: null,
    });
    expect(r.scopes.map((s) => [s.code, s.words])).toEqual([
      ["accounts:read", "Which accounts you have"],
      ["balances:read", "Account balances"],
    ]);
    expect(r.grantedOn).not.toBeNull();
    expect(new Date(r.expiresOn!).getTime() - new Date(r.grantedOn!).getTime()).toBe(90 * DAY_MS);

    // Accounts: every account alice shared at Chase, by its last four digits only.
    const bankAccounts = t.mocks.banks.get("chase")!.data.accountsOf("alice");
    expect(r.accounts.map((a) => a.masked).sort()).toEqual(bankAccounts.map((a) => `••${a.number.slice(-4)}`).sort());
    const link = await t.gateway.services.links.findById(linkIdOf(alice.links["chase"]!));
    const bankToken = t.gateway.services.cipher.decrypt(link!.accessTokenCiphertext!);
    const everything = JSON.stringify(receipt) + JSON.stringify(r);
    for (const account of bankAccounts) expect(everything).not.toContain(account.number);
    expect(everything).not.toContain(bankToken);
    expect(receipt!.lines).toContainEqual({ label: "Bank", value: "JPMorgan Chase" });
  });

  it.each([
    ["the person", "user", ConsentActor.USER, "You stopped sharing"],
    ["the app", "app", ConsentActor.CLIENT, "The app stopped its access"],
  ] as const)("revoking by %s issues a REVOKED receipt naming who and why", async (_who, tokenOf, actor, why) => {
    const bob = await t.newUser("rcpt-bob", ["chase"]);
    const consentId = await t.grant(bob, "chase", ["accounts:read"]);
    const revoked = await t.gql(`mutation($id: ID!) { revokeConsent(id: $id) { status } }`, { id: consentId }, bob[tokenOf]);
    expect(revoked.body.errors).toBeUndefined();
    const receipts = await receiptsOf(t, consentId, bob.user);
    expect(receipts.map((r) => r.event)).toEqual(["AUTHORIZED", "REVOKED"]);
    const { keys } = await fetchJwks(t);
    const { receipt } = await verifyConsentReceipt(receipts[1]!.jws, keys);
    expect(receipt).toMatchObject({ event: "REVOKED", status: "REVOKED", revokedBy: actor, revocationReason: why });
    expect(receipt.revokedOn).not.toBeNull();
    // The app sees its own consent's receipts too.
    expect((await receiptsOf(t, consentId, bob.app)).map((r) => r.id)).toEqual(receipts.map((r) => r.id));
  });

  it("unlinking the bank issues REVOKED receipts and deletes no receipt and no consent event", async () => {
    const carol = await t.newUser("rcpt-carol", ["chase"]);
    const consentId = await t.grant(carol, "chase", ["accounts:read", "balances:read"]);
    const unlinked = await t.gql(`mutation($id: ID!) { unlinkInstitution(linkId: $id) { status } }`, { id: carol.links["chase"] }, carol.user);
    expect(unlinked.body.errors).toBeUndefined();
    const receipts = await receiptsOf(t, consentId, carol.user);
    expect(receipts.map((r) => r.event)).toEqual(["AUTHORIZED", "REVOKED"]);
    expect(payloadOf(receipts[1]!.jws)).toMatchObject({ revokedBy: "USER", revocationReason: "The connection to the bank was removed" });
    const local = localConsentId(consentId);
    const [stored] = await t.gateway.services.db.query<{ receipts: number; events: number }>(
      `SELECT (SELECT count(*) FROM consent_receipts WHERE consent_id = $1)::int AS receipts,
              (SELECT count(*) FROM consent_events WHERE consent_id = $1)::int AS events`,
      [local],
    );
    expect(stored).toEqual({ receipts: 2, events: 3 });
  });

  it("the system's revocation and the end date each issue a receipt; a request never authorized gets none", async () => {
    const dave = await t.newUser("rcpt-dave", ["chase", "wells_fargo"]);
    const atChase = await t.grant(dave, "chase", ["accounts:read"]);
    const atWells = await t.grant(dave, "wells_fargo", ["accounts:read"], { durationDays: 1 });
    const requested = await t.gql(
      `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id } }`,
      { input: { linkId: dave.links["chase"], scopes: ["balances:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30 } },
      dave.app,
    );
    const neverAuthorized = requested.body.data.requestConsent.id as string;

    await t.gateway.services.consents.revokeAllForLink(linkIdOf(dave.links["chase"]!), dave.userId, { actor: ConsentActor.SYSTEM });
    clock.advance(2 * DAY_MS);
    const expired = await t.gateway.services.consents.expireDue();
    expect(expired.map((c) => c.id)).toContain(localConsentId(atWells));

    const { keys } = await fetchJwks(t);
    const chase = await receiptsOf(t, atChase, dave.user);
    expect(chase.map((r) => r.event)).toEqual(["AUTHORIZED", "REVOKED"]);
    expect((await verifyConsentReceipt(chase[1]!.jws, keys)).receipt).toMatchObject({ revokedBy: "SYSTEM" });
    const wells = await receiptsOf(t, atWells, dave.user);
    expect(wells.map((r) => r.event)).toEqual(["AUTHORIZED", "EXPIRED"]);
    expect((await verifyConsentReceipt(wells[1]!.jws, keys)).receipt).toMatchObject({ event: "EXPIRED", status: "EXPIRED", revokedOn: null });
    expect(await receiptsOf(t, neverAuthorized, dave.user)).toEqual([]);
  });

  it("another person's token sees no receipt of alice's consent", async () => {
    const alice = await t.newUser("rcpt-owner", ["chase"]);
    const consentId = await t.grant(alice, "chase", ["accounts:read"]);
    const mallory = await t.newUser("rcpt-other", []);
    const response = await t.gql(`query($id: ID!) { consentEvents(consentId: $id) { nodes { id } } }`, { id: consentId }, mallory.user);
    expect(response.body.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect(await receiptsOf(t, consentId, mallory.user)).toEqual([]);
    expect(await t.gateway.services.receipts.listForPerson(localConsentId(consentId), mallory.userId)).toEqual([]);
  });
});
