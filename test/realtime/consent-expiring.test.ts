/**
 * `consentExpiring`: the gateway's sweep announces each AUTHORIZED consent once, 7 days before it
 * expires, only to the app the consent is for — not a revoked one, not twice, not again after a
 * restart on the same data directory. The clock is the gateway's (a ManualClock here).
 *
 * No sleeping: "nothing yet" is read from the store after a complete sweep (a consent is only
 * published once claimed there), "not twice" and "own app only" from the next announcement each
 * app receives (a subscription takes its messages in order, so a wrong one would come first).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { DAY_MS, ManualClock } from "../../src/clock.js";
import { ConsentPurpose } from "../../src/domain/consent.js";
import { seedDataDir } from "../support/pglite-template.js";
import { APP, startTestGateway, TEST_ANCHOR, type TestGateway, type TestUser } from "../support/gateway.js";
import { closeClient, collect, subscribersReady, wsClient } from "./realtime-support.js";

const OTHER_APP = "other-app";
const SWEEP_MS = "40";
const EXPIRING = "subscription OnExpiring { consentExpiring { id clientId status expiresAt scopes } }";

let cluster: MockCluster;
let dataDir: string;
const clock = new ManualClock(new Date());
let t: TestGateway;

/** Starts the gateway on the shared data directory; `sweepMs: "0"` = sweep only when the test says. */
async function start(sweepMs = SWEEP_MS): Promise<TestGateway> {
  const gateway = await startTestGateway({ cluster, clock, env: { DATA_DIR: dataDir, CONSENT_EXPIRY_SWEEP_MS: sweepMs } });
  await gateway.gateway.services.clients.register({ id: OTHER_APP, name: "Other app", allowedPurposes: Object.values(ConsentPurpose) });
  return gateway;
}

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: ["chase", "citi", "paypal"] });
  dataDir = await mkdtemp(join(tmpdir(), "bankgraph-expiring-"));
  await seedDataDir(dataDir);
  t = await start();
});
afterAll(async () => {
  await t?.close();
  await cluster?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs a sweep that starts now (not one already under way) and returns how many consents it announced. */
async function freshSweep(): Promise<number> {
  await t.gateway.services.realtime.consentExpiry.sweep();
  return t.gateway.services.realtime.consentExpiry.sweep();
}

/** Consents announced so far (claimed in the store, which every announcement needs first). */
async function noticesOnRecord(): Promise<number> {
  return (await t.gateway.services.db.query<{ n: number }>("SELECT count(*)::int AS n FROM consent_expiry_notices"))[0]!.n;
}

/** A consent for another app, requested by that app and authorized by the user, over HTTP. */
async function grantOtherApp(user: TestUser, institution: string, durationDays: number): Promise<string> {
  const otherToken = await t.token(user.userId, { client: OTHER_APP });
  const requested = await t.gql(
    "mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id } }",
    { input: { linkId: user.links[institution], scopes: ["accounts:read"], purpose: "ACCOUNT_OVERVIEW", durationDays } },
    otherToken,
  );
  const id = requested.body.data.requestConsent.id as string;
  await t.gql("mutation($id: ID!) { authorizeConsent(id: $id) { id } }", { id }, user.user);
  return id;
}

it("announces each consent once, 7 days before it expires, to its own app only; survives a restart", async () => {
  const user = await t.newUser("expiring", ["chase", "citi", "paypal"]);
  const tenDays = await t.grant(user, "chase", ["accounts:read", "balances:read"], { durationDays: 10 });
  const thirtyDays = await t.grant(user, "citi", ["accounts:read"], { durationDays: 30 });
  const revoked = await t.grant(user, "paypal", ["accounts:read"], { durationDays: 10 });
  const otherAppsConsent = await grantOtherApp(user, "chase", 10);
  // Due with the 30-day one: the other app's next announcement, after which nothing else may have reached it.
  const otherAppsLater = await grantOtherApp(user, "citi", 30);
  await t.gql("mutation($id: ID!) { revokeConsent(id: $id) { status } }", { id: revoked }, user.user);

  const appClient = wsClient(t.gateway, user.app);
  const otherClient = wsClient(t.gateway, await t.token(user.userId, { client: OTHER_APP }));
  const app = collect(appClient, EXPIRING);
  const other = collect(otherClient, EXPIRING);
  await subscribersReady(t.gateway, user.userId, 2);

  // Ten days out: nothing is due yet, however many sweeps run.
  expect(await freshSweep()).toBe(0);
  expect(await noticesOnRecord()).toBe(0);
  expect([app.results, other.results]).toEqual([[], []]);

  // Three days later the 10-day consents are inside the 7-day window.
  clock.advance(3 * DAY_MS + 60_000);
  const announced = (await app.nth(1)).data!.consentExpiring;
  expect(announced).toMatchObject({ id: tenDays, clientId: APP, status: "AUTHORIZED", scopes: ["accounts:read", "balances:read"] });
  expect(Date.parse(announced.expiresAt) - clock.now().getTime()).toBeLessThanOrEqual(7 * DAY_MS);
  expect((await other.nth(1)).data!.consentExpiring).toMatchObject({ id: otherAppsConsent, clientId: OTHER_APP });
  expect(await freshSweep()).toBe(0);
  expect(app.results).toHaveLength(1);
  expect(other.results).toHaveLength(1);

  // The 30-day consents come due 23 days in, announced once; the revoked one never is. Each is
  // the next thing its app receives: no repeat, no other app's consent, no revoked one came first.
  clock.advance(20 * DAY_MS);
  expect((await app.nth(2)).data!.consentExpiring.id).toBe(thirtyDays);
  expect((await other.nth(2)).data!.consentExpiring).toMatchObject({ id: otherAppsLater, clientId: OTHER_APP });
  expect(await freshSweep()).toBe(0);
  expect(app.results.map((r) => r.data!.consentExpiring.id)).toEqual([tenDays, thirtyDays]);
  expect(other.results.map((r) => r.data!.consentExpiring.id)).toEqual([otherAppsConsent, otherAppsLater]);
  expect(await noticesOnRecord()).toBe(4);
  await otherClient.dispose();
  await closeClient(appClient, t.gateway, user.userId);

  // A restart on the same data: the notices are on record, nothing is announced again. The sweep
  // runs only when asked here, so its first run is surely after the subscriber is in place.
  await t.close();
  t = await start("0");
  const again = wsClient(t.gateway, user.app);
  const afterRestart = collect(again, EXPIRING);
  await subscribersReady(t.gateway, user.userId);
  expect(await t.gateway.services.realtime.consentExpiry.sweep()).toBe(0);
  expect(afterRestart.results).toEqual([]);
  await again.dispose();
});
