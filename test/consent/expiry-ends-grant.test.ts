/**
 * A consent that lapses ends like a revoked one (issue 13's "stopping is complete", for the end
 * nobody clicks): the expiry sweep records it EXPIRED, and when it was the link's last live consent
 * the bank is told and refuses Bankgraph's old token; while another app still shares the link, the
 * grant stays. Real HTTP, embedded PGlite, the gateway's ManualClock; the sweep runs when the test
 * says (CONSENT_EXPIRY_SWEEP_MS=0).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { recordedRevocations } from "../../mocks/oauth/revocation-log.js";
import { DAY_MS, ManualClock } from "../../src/clock.js";
import { ConsentPurpose, SCOPES } from "../../src/domain/consent.js";
import { BankGrantRevocationRepository } from "../../src/store/bank-grant-revocation-repository.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { until } from "../support/webhook-receiver.js";
import { bankAccepts, linkAccessToken, rawId } from "./bank-grant-support.js";
import { consentsOf, dataOf, grantFor } from "./consent-harness.js";

const OTHER = "second-app";
const READ = `{ accounts { id balance { current { amount } } } }`;
const TEST_TIMEOUT_MS = 120_000;

const clock = new ManualClock(new Date());
let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway({
    clock,
    mocks: { banks: ["chase", "citi"] },
    env: { CONSENT_EXPIRY_SWEEP_MS: "0", REVOCATION_OUTBOX_POLL_MS: "100", REVOCATION_OUTBOX_BASE_DELAY_MS: "50" },
  });
  await t.gateway.services.apps.register({
    id: OTHER,
    displayName: "Second",
    legalName: "Second Ltd.",
    redirectUris: ["https://second.test/cb"],
    allowedPurposes: Object.values(ConsentPurpose),
    allowedScopes: [...SCOPES],
  });
});
afterAll(async () => {
  await t?.close();
});

it(
  "the link's last consent lapses: the sweep records EXPIRED, the bank is told and refuses the old token",
  async () => {
    const user = await t.newUser("lapses", ["citi"]);
    const consentId = await t.grant(user, "citi", ["accounts:read"], { durationDays: 1 });
    const token = (await linkAccessToken(t, user.links["citi"]!))!;
    const before = recordedRevocations(t.mocks.banks.get("citi")!).length;

    clock.advance(DAY_MS + 60_000);
    // Already refused before any sweep: expiry is read from the clock.
    const early = await t.gql(READ, {}, user.app);
    expect(early.body.errors?.map((e: { extensions?: Record<string, unknown> }) => e.extensions?.["reason"])).toEqual(["EXPIRED"]);
    await t.gateway.services.realtime.consentExpiry.sweep();

    expect((await consentsOf(t, user.user)).find((c) => c.id === consentId)).toMatchObject({ status: "EXPIRED" });
    await until("citi records the revocation", () => recordedRevocations(t.mocks.banks.get("citi")!).length > before);
    expect(recordedRevocations(t.mocks.banks.get("citi")!).slice(before)).toEqual([expect.objectContaining({ channel: "UK_CONSENT_DELETE" })]);
    expect(await bankAccepts(t, "citi", token)).toBe(false);
    expect(await linkAccessToken(t, user.links["citi"]!)).toBeNull();
    const rows = await new BankGrantRevocationRepository(t.gateway.services.db).listForLink(rawId(user.links["citi"]!));
    expect(rows).toEqual([expect.objectContaining({ reason: "LAST_CONSENT_ENDED" })]);
  },
  TEST_TIMEOUT_MS,
);

it(
  "one app's consent lapses while another app still shares the link: the grant stays",
  async () => {
    const user = await t.newUser("shared-lapse", ["chase"]);
    const short = await t.grant(user, "chase", ["accounts:read", "balances:read"], { durationDays: 1 });
    await grantFor(t, user, "chase", ["accounts:read", "balances:read"], OTHER, { durationDays: 30 });
    const before = recordedRevocations(t.mocks.banks.get("chase")!).length;

    clock.advance(DAY_MS + 60_000);
    await t.gateway.services.realtime.consentExpiry.sweep();
    await t.gateway.services.bankGrantRevocations.idle();

    expect((await consentsOf(t, user.user)).find((c) => c.id === short)).toMatchObject({ status: "EXPIRED" });
    expect(await new BankGrantRevocationRepository(t.gateway.services.db).listForLink(rawId(user.links["chase"]!))).toEqual([]);
    expect(recordedRevocations(t.mocks.banks.get("chase")!).length).toBe(before);
    const other = await t.token(user.userId, { client: OTHER });
    t.resetBankCalls();
    expect(dataOf(await t.gql(READ, {}, other), "second app still reads").accounts.every((a: { balance: unknown }) => a.balance)).toBe(true);
    expect(t.bankCalls()["chase"]!.total).toBeGreaterThan(0);
  },
  TEST_TIMEOUT_MS,
);
