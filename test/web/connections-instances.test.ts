/**
 * Stopping is complete across instances: two gateway instances share real PostgreSQL and Redis;
 * alice stops sharing on instance A's /connections in Chromium, and the app — whose reads and
 * open subscription go to instance B — is denied on its very next read (consent REVOKED) and
 * gets no further event from that bank, while its other bank's events still arrive. "No further
 * event" is proven without sleeping: after the revoked bank's event is published, a sentinel
 * event from the other bank must be the next thing that arrives.
 */
import { randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { ConsentActor, ConsentStatus } from "../../src/domain/consent.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { openPostgres } from "../../src/store/postgres.js";
import { bankEvent, closeClient, collect, eventsPublished, linkOf, subscribersReady, targetWebhooks, wsClient } from "../realtime/realtime-support.js";
import { PATIENT_ENV } from "../support/dashboard.js";
import { testDatabaseUrl } from "../support/databases.js";
import { startTestGateway, TEST_ANCHOR, type TestGateway, type TestUser } from "../support/gateway.js";
import { expectAccessible, launchChromium } from "./connect-support.js";
import { expectRevokedDenial, internalId, link, personFor, signedInAt } from "./connections-support.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

let cluster: MockCluster;
let db: Database;
let schema: string;
/** Serves alice's pages. */
let a: TestGateway;
/** Serves the app's reads and subscription. */
let b: TestGateway;
let browser: Browser;
let alice: TestUser;

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: ["chase", "amex"] });
  schema = `bankgraph_dash_${randomBytes(5).toString("hex")}`;
  db = await openPostgres(testDatabaseUrl, { schema, max: 6, applicationName: "bankgraph-test-dashboard" });
  await migrate(db);
  const env = { ...PATIENT_ENV, REDIS_URL };
  // B first: the identity provider keeps the last registered callback, and people sign in on A.
  b = await startTestGateway({ cluster, db, env });
  a = await startTestGateway({ cluster, db, env });
  // Banks deliver webhooks to A, the instance that serves the click; the app listens on B.
  await targetWebhooks(cluster.adminUrl, a.gateway);
  browser = await launchChromium();
  alice = await personFor(a, "alice");
  await link(a, alice, "chase", "alice");
  await link(a, alice, "amex", "alice");
  await a.grant(alice, "chase", ["accounts:read", "balances:read"]);
  await a.grant(alice, "amex", ["accounts:read", "balances:read"]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await a?.close();
  await b?.close();
  await cluster?.close();
  try {
    await db?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await db?.close();
  }
});

describe("Stop sharing on instance A, the app on instance B (PostgreSQL + Redis)", () => {
  it("the app's next read on B is denied and its open subscription on B gets no further event from that bank", { timeout: 180_000 }, async () => {
    const chaseConsent = internalId(alice.consents["chase"]!);
    const client = wsClient(b.gateway, alice.app);
    const balances = collect(client, "subscription { balanceUpdated { accountId } }");
    const revoked = collect(client, "subscription { consentRevoked { id status } }");
    await subscribersReady(b.gateway, "alice", 2);

    // Before: B delivers Chase's events and reads Chase's balances.
    await bankEvent(cluster.adminUrl, "chase", { kind: "balance_changed" });
    expect(linkOf((await balances.nth(1, 20_000)).data!.balanceUpdated.accountId)).toBe(linkOf(alice.links["chase"]!));
    const before = await b.gql(`query { accounts(institutionIds: ["chase"]) { balance { current { amount } } } }`, {}, alice.app);
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data.accounts.length).toBeGreaterThan(0);

    const page = await signedInAt(browser, a, "alice");
    await page.getByRole("link", { name: "Stop sharing with Messenger (test) at JPMorgan Chase" }).click();
    await expect(page.locator(".consequence").textContent()).resolves.toContain(
      "will no longer see which accounts you have and account balances at JPMorgan Chase",
    );
    const clicked = performance.now();
    await page.getByRole("button", { name: "Stop sharing" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Sharing stopped");
    const answered = performance.now();

    // The very next read on B, right after A answered: denied, the consent REVOKED by the person.
    const after = await b.gql(`query { accounts(institutionIds: ["chase"]) { mask balance { current { amount } } } }`, {}, alice.app);
    const deniedOnB = performance.now();
    expectRevokedDenial(after, "chase");
    const consent = await b.gateway.services.consents.getForUser(chaseConsent, "alice");
    expect(consent.status).toBe(ConsentStatus.REVOKED);
    expect(consent.revokedBy).toBe(ConsentActor.USER);
    await expectAccessible(page, "sharing stopped (instance A)");
    console.info(
      `cross-instance revocation: page answered ${(answered - clicked).toFixed(0)} ms after the click; B denied the next read ${(deniedOnB - clicked).toFixed(0)} ms after it`,
    );

    // The app on B is told, and Chase's next event never reaches it: Amex's sentinel comes next.
    expect((await revoked.nth(1, 20_000)).data!.consentRevoked).toEqual({ id: alice.consents["chase"], status: "REVOKED" });
    await bankEvent(cluster.adminUrl, "chase", { kind: "balance_changed" });
    await eventsPublished(a.gateway);
    await bankEvent(cluster.adminUrl, "amex", { kind: "balance_changed" });
    expect(linkOf((await balances.nth(2, 20_000)).data!.balanceUpdated.accountId)).toBe(linkOf(alice.links["amex"]!));
    expect(balances.results).toHaveLength(2);

    // The bank was told, its own way (FDX consent revocation at Chase): alice's was the link's last consent.
    await expect
      .poll(async () => ((await (await fetch(`${cluster.adminUrl}/banks/chase/revocations`)).json()) as Array<{ channel: string }>).map((r) => r.channel), {
        timeout: 30_000,
      })
      .toEqual(["FDX_CONSENT_REVOCATION"]);

    await page.context().close();
    await closeClient(client, b.gateway, "alice");
  });
});
