/**
 * Stopping is complete, in one step (issue 13 item 2), over real HTTP on embedded PGlite: the
 * person (or the app) revokes through GraphQL, and then — without anything else being asked —
 * the app's next read is denied, the app gets a signed `consent.revoked` webhook at its registered
 * URL (retried with backoff while it refuses), and, once no live consent is left on the link, the
 * bank is told its own way (FDX consent revocation at Chase, UK consent DELETE at Citi, RFC 7009 at
 * Wells Fargo), records it, and refuses Bankgraph's old token from then on. A bank that is down
 * never holds up the person; the revocation reaches it when it is back.
 * (Two instances on PostgreSQL + Redis: test/realtime/revocation-multi-instance.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordedRevocations, type RevocationChannel } from "../../mocks/oauth/revocation-log.js";
import { verifyWebhookSignature, SIGNATURE_HEADER } from "../../src/apps/webhook-signature.js";
import { ConsentPurpose, SCOPES } from "../../src/domain/consent.js";
import { AppWebhookDeliveryRepository } from "../../src/store/app-webhook-delivery-repository.js";
import { BankGrantRevocationRepository } from "../../src/store/bank-grant-revocation-repository.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { startWebhookReceiver, until, type ReceivedWebhook, type WebhookReceiver } from "../support/webhook-receiver.js";
import { bankAccepts, linkAccessToken, rawId } from "./bank-grant-support.js";
import { dataOf, decide, grantFor } from "./consent-harness.js";

const HOOKED = "hooked-app";
const HOOK_KEY = "whk_test_0123456789abcdef0123456789abcdef";
const OTHER = "second-app";
const READ = `{ accounts { id balance { current { amount } } } }`;
/** Each test links, grants and waits for deliveries over real HTTP on a loaded machine. */
const TEST_TIMEOUT_MS = 120_000;

let t: TestGateway;
let receiver: WebhookReceiver;

function bank(institutionId: string) {
  return t.mocks.banks.get(institutionId)!;
}

/** Webhooks received for one consent (its global id), in arrival order. */
function webhooksFor(consentId: string, received: ReceivedWebhook[]): ReceivedWebhook[] {
  return received.filter((w) => (JSON.parse(w.body) as { consentId?: string }).consentId === consentId);
}

function denialReasons(response: { body: { errors?: Array<{ extensions?: Record<string, unknown> }> } }): unknown[] {
  return [...new Set((response.body.errors ?? []).map((e) => e.extensions?.["reason"]))];
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  t = await startTestGateway({
    mocks: { banks: ["chase", "citi", "wells_fargo"] },
    env: { REVOCATION_OUTBOX_POLL_MS: "100", REVOCATION_OUTBOX_BASE_DELAY_MS: "50", REVOCATION_OUTBOX_MAX_DELAY_MS: "400" },
  });
  const registration = {
    allowedPurposes: Object.values(ConsentPurpose),
    allowedScopes: [...SCOPES],
  };
  await t.gateway.services.apps.register({
    id: HOOKED,
    displayName: "Hooked",
    legalName: "Hooked Ltd.",
    redirectUris: ["https://hooked.test/cb"],
    webhookUrl: receiver.url,
    webhookKey: HOOK_KEY,
    ...registration,
  });
  await t.registerApp(OTHER);
}, 180_000);

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

describe("stopping is complete, in one step", () => {
  it(
    "the app revokes: its next read is denied and it gets a consent.revoked webhook signed with its key",
    async () => {
      const user = await t.newUser("hook", ["chase"]);
      const consentId = await grantFor(t, user, "chase", ["accounts:read", "balances:read"], HOOKED);
      const appToken = await t.token(user.userId, { client: HOOKED });
      expect(dataOf(await t.gql(READ, {}, appToken), "read before").accounts.length).toBeGreaterThan(0);

      const revoked = dataOf(await decide(t, "revokeConsent", consentId, appToken), "revoke").revokeConsent;
      expect(revoked.status).toBe("REVOKED");
      const denied = await t.gql(READ, {}, appToken);
      expect(denied.body.data).toEqual({ accounts: [null] });
      expect(denialReasons(denied)).toEqual(["REVOKED"]);

      const [webhook] = webhooksFor(consentId, await receiver.waitFor((r) => webhooksFor(consentId, r).length > 0));
      expect(webhook!.headers["content-type"]).toBe("application/json");
      expect(verifyWebhookSignature(webhook!.headers[SIGNATURE_HEADER.toLowerCase()] as string, webhook!.body, HOOK_KEY)).toBe(true);
      expect(verifyWebhookSignature(webhook!.headers[SIGNATURE_HEADER.toLowerCase()] as string, webhook!.body, "another-key-0123456789abcdef0123456789")).toBe(
        false,
      );
      expect(
        verifyWebhookSignature(
          webhook!.headers[SIGNATURE_HEADER.toLowerCase()] as string,
          webhook!.body.replace("REVOKED_BY_APP", "REVOKED_BY_USER"),
          HOOK_KEY,
        ),
      ).toBe(false);
      const body = JSON.parse(webhook!.body) as Record<string, unknown>;
      expect(body).toEqual({
        id: webhook!.headers["bankgraph-delivery"],
        type: "consent.revoked",
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        consentId,
        linkId: user.links["chase"],
        institutionId: "chase",
        revokedAt: revoked.revokedAt,
        actor: "CLIENT",
        reason: "REVOKED_BY_APP",
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a webhook the app refuses is retried with backoff until it answers 2xx, under the same delivery id",
    async () => {
      const user = await t.newUser("retry", ["chase"]);
      const consentId = await grantFor(t, user, "chase", ["accounts:read"], HOOKED);
      let refusals = 0;
      receiver.answer = (_count, request) => {
        if ((JSON.parse(request.body) as { consentId?: string }).consentId !== consentId) return 200;
        return ++refusals <= 2 ? 503 : 200;
      };
      try {
        dataOf(await decide(t, "revokeConsent", consentId, user.user), "revoke");
        const attempts = webhooksFor(consentId, await receiver.waitFor((r) => webhooksFor(consentId, r).some((w) => w.status === 200)));
        expect(attempts.map((w) => w.status)).toEqual([503, 503, 200]);
        expect(new Set(attempts.map((w) => w.headers["bankgraph-delivery"])).size).toBe(1);
        expect(new Set(attempts.map((w) => w.body)).size).toBe(1);
        for (const w of attempts) expect(verifyWebhookSignature(w.headers["bankgraph-signature"] as string, w.body, HOOK_KEY)).toBe(true);
        expect(JSON.parse(attempts[0]!.body)).toMatchObject({ actor: "USER", reason: "REVOKED_BY_USER" });
        const id = attempts[0]!.headers["bankgraph-delivery"] as string;
        await until("the delivery recorded as delivered", async () => {
          const row = (await new AppWebhookDeliveryRepository(t.gateway.services.db).listForClient(HOOKED)).find((d) => d.id === id);
          return row?.deliveredAt != null;
        });
        const row = (await new AppWebhookDeliveryRepository(t.gateway.services.db).listForClient(HOOKED)).find((d) => d.id === id)!;
        expect(row.attempts).toBe(3);
        expect(row.lastError).toBeNull();
      } finally {
        receiver.answer = () => 200;
      }
    },
    TEST_TIMEOUT_MS,
  );

  it.each<[string, RevocationChannel]>([
    ["chase", "FDX_CONSENT_REVOCATION"],
    ["citi", "UK_CONSENT_DELETE"],
    ["wells_fargo", "RFC7009"],
  ])(
    "the link's last consent revoked at %s: the bank is told (%s), records it and refuses the old token",
    async (institutionId, channel) => {
      const user = await t.newUser(`bank-${institutionId.replace("_", "-")}`, [institutionId]);
      const consentId = await t.grant(user, institutionId, ["accounts:read"]);
      const token = (await linkAccessToken(t, user.links[institutionId]!))!;
      expect(await bankAccepts(t, institutionId, token)).toBe(true);
      const before = recordedRevocations(bank(institutionId)).length;

      dataOf(await decide(t, "revokeConsent", consentId, user.user), "revoke");
      await until(`${institutionId} records the revocation`, () => recordedRevocations(bank(institutionId)).length > before);
      const recorded = recordedRevocations(bank(institutionId)).slice(before);
      expect(recorded).toEqual([expect.objectContaining({ channel, clientId: "bankgraph", customerId: "alice" })]);
      if (channel === "FDX_CONSENT_REVOCATION") expect(recorded[0]).toMatchObject({ initiator: "DATA_RECIPIENT", reason: "USER_ACTION" });
      expect(await bankAccepts(t, institutionId, token)).toBe(false);

      // The grant left the link with the revocation: a new consent needs a new authorization at the bank.
      expect(await linkAccessToken(t, user.links[institutionId]!)).toBeNull();
      const links = dataOf(await t.gql(`{ links { id status } }`, {}, user.user), "links").links;
      expect(links).toEqual([{ id: user.links[institutionId], status: "LOGIN_REQUIRED" }]);
      await until("the revocation row settled", async () =>
        (await new BankGrantRevocationRepository(t.gateway.services.db).listForLink(rawId(user.links[institutionId]!))).every((r) => r.deliveredAt),
      );
      const rows = await new BankGrantRevocationRepository(t.gateway.services.db).listForLink(rawId(user.links[institutionId]!));
      expect(rows).toEqual([expect.objectContaining({ reason: "LAST_CONSENT_ENDED", hasTokens: false, abandonedAt: null })]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "the grant is shared by the link's apps: it outlives one app's consent and ends with the last one",
    async () => {
      const user = await t.newUser("shared", ["chase"]);
      const first = await grantFor(t, user, "chase", ["accounts:read", "balances:read"], HOOKED);
      const second = await grantFor(t, user, "chase", ["accounts:read", "balances:read"], OTHER);
      const other = await t.token(user.userId, { client: OTHER });
      const before = recordedRevocations(bank("chase")).length;

      dataOf(await decide(t, "revokeConsent", first, user.user), "revoke first");
      // The first app is told; by then everything its revocation owed is sent, and the bank was owed nothing.
      await receiver.waitFor((r) => webhooksFor(first, r).some((w) => w.status === 200));
      await t.gateway.services.bankGrantRevocations.idle();
      expect(recordedRevocations(bank("chase")).length).toBe(before);
      t.resetBankCalls();
      expect(dataOf(await t.gql(READ, {}, other), "second app still reads").accounts.every((a: { balance: unknown }) => a.balance)).toBe(true);
      expect(t.bankCalls()["chase"]!.total).toBeGreaterThan(0);

      dataOf(await decide(t, "revokeConsent", second, user.user), "revoke second");
      await until("chase records the revocation", () => recordedRevocations(bank("chase")).length > before);
      expect(recordedRevocations(bank("chase")).slice(before)).toEqual([expect.objectContaining({ channel: "FDX_CONSENT_REVOCATION" })]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "unlinking tells the bank, also when the link has no consent at all",
    async () => {
      const user = await t.newUser("unlink", ["citi"]);
      const token = (await linkAccessToken(t, user.links["citi"]!))!;
      const before = recordedRevocations(bank("citi")).length;
      const unlinked = dataOf(
        await t.gql(`mutation($id: ID!) { unlinkInstitution(linkId: $id) { id status } }`, { id: user.links["citi"] }, user.user),
        "unlink",
      );
      expect(unlinked.unlinkInstitution.status).toBe("REVOKED");
      await until("citi records the revocation", () => recordedRevocations(bank("citi")).length > before);
      expect(recordedRevocations(bank("citi")).slice(before)).toEqual([expect.objectContaining({ channel: "UK_CONSENT_DELETE" })]);
      expect(await bankAccepts(t, "citi", token)).toBe(false);
      const rows = await new BankGrantRevocationRepository(t.gateway.services.db).listForLink(rawId(user.links["citi"]!));
      expect(rows).toEqual([expect.objectContaining({ reason: "LINK_REMOVED" })]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "a bank that is down does not hold up the person: the revocation is retried until the bank is back",
    async () => {
      const user: TestUser = await t.newUser("down", ["wells_fargo"]);
      const consentId = await t.grant(user, "wells_fargo", ["accounts:read"]);
      const token = (await linkAccessToken(t, user.links["wells_fargo"]!))!;
      const before = recordedRevocations(bank("wells_fargo")).length;
      await bank("wells_fargo").setFaults({ down: true });
      try {
        const revoked = dataOf(await decide(t, "revokeConsent", consentId, user.user), "revoke while the bank is down");
        expect(revoked.revokeConsent.status).toBe("REVOKED");
        const repository = new BankGrantRevocationRepository(t.gateway.services.db);
        await until("two failed attempts", async () => ((await repository.listForLink(rawId(user.links["wells_fargo"]!)))[0]?.attempts ?? 0) >= 2);
        expect(recordedRevocations(bank("wells_fargo")).length).toBe(before);
      } finally {
        await bank("wells_fargo").resetFaults();
      }
      await until("wells-fargo records the revocation", () => recordedRevocations(bank("wells_fargo")).length > before);
      expect(recordedRevocations(bank("wells_fargo")).slice(before)).toEqual([expect.objectContaining({ channel: "RFC7009" })]);
      expect(await bankAccepts(t, "wells_fargo", token)).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );
});
