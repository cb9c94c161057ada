/**
 * `consentExpiring`: the gateway's sweep announces each AUTHORIZED consent once, 7 days before it
 * expires, only to the app the consent is for — not a revoked one, not twice, not again after a
 * restart on the same data directory. The clock is the gateway's (a ManualClock here).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { DAY_MS, ManualClock } from "../../src/clock.js";
import { ConsentPurpose } from "../../src/domain/consent.js";
import { APP, startTestGateway, TEST_ANCHOR, type TestGateway, type TestUser } from "../support/gateway.js";
import { closeClient, collect, settle, subscribersReady, wsClient } from "./realtime-support.js";

const OTHER_APP = "other-app";
const SWEEP_MS = "40";
const EXPIRING = "subscription OnExpiring { consentExpiring { id clientId status expiresAt scopes } }";

let cluster: MockCluster;
let dataDir: string;
const clock = new ManualClock(new Date());
let t: TestGateway;

async function start(): Promise<TestGateway> {
  const gateway = await startTestGateway({ cluster, clock, env: { DATA_DIR: dataDir, CONSENT_EXPIRY_SWEEP_MS: SWEEP_MS } });
  await gateway.gateway.services.clients.register({ id: OTHER_APP, name: "Other app", allowedPurposes: Object.values(ConsentPurpose) });
  return gateway;
}

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: ["chase", "citi", "paypal"] });
  dataDir = await mkdtemp(join(tmpdir(), "bankgraph-expiring-"));
  t = await start();
});
afterAll(async () => {
  await t?.close();
  await cluster?.close();
  await rm(dataDir, { recursive: true, force: true });
});

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
  await t.gql("mutation($id: ID!) { revokeConsent(id: $id) { status } }", { id: revoked }, user.user);

  const appClient = wsClient(t.gateway, user.app);
  const otherClient = wsClient(t.gateway, await t.token(user.userId, { client: OTHER_APP }));
  const app = collect(appClient, EXPIRING);
  const other = collect(otherClient, EXPIRING);
  await subscribersReady(t.gateway, user.userId, 2);

  // Ten days out: nothing is due yet, however many sweeps run.
  await settle(400);
  expect([app.results, other.results]).toEqual([[], []]);

  // Three days later the 10-day consents are inside the 7-day window.
  clock.advance(3 * DAY_MS + 60_000);
  const announced = (await app.nth(1)).data!.consentExpiring;
  expect(announced).toMatchObject({ id: tenDays, clientId: APP, status: "AUTHORIZED", scopes: ["accounts:read", "balances:read"] });
  expect(Date.parse(announced.expiresAt) - clock.now().getTime()).toBeLessThanOrEqual(7 * DAY_MS);
  expect((await other.nth(1)).data!.consentExpiring).toMatchObject({ id: otherAppsConsent, clientId: OTHER_APP });
  await settle(400);
  expect(app.results).toHaveLength(1);
  expect(other.results).toHaveLength(1);

  // The 30-day consent comes due 23 days in, announced once; the revoked one never is.
  clock.advance(20 * DAY_MS);
  expect((await app.nth(2)).data!.consentExpiring.id).toBe(thirtyDays);
  await settle(400);
  expect(app.results.map((r) => r.data!.consentExpiring.id)).toEqual([tenDays, thirtyDays]);
  expect(other.results).toHaveLength(1);
  await otherClient.dispose();
  await closeClient(appClient, t.gateway, user.userId);

  // A restart on the same data: the notices are on record, nothing is announced again.
  await t.close();
  t = await start();
  const again = wsClient(t.gateway, user.app);
  const afterRestart = collect(again, EXPIRING);
  await subscribersReady(t.gateway, user.userId);
  await settle(400);
  expect(afterRestart.results).toEqual([]);
  await again.dispose();
});
