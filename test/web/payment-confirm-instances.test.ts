/**
 * A passkey's challenge is in the store, not in one instance's memory: two gateway instances on one
 * real PostgreSQL, one public address (PUBLIC_URL, as behind a load balancer). alice's browser gets
 * the confirmation options from instance A and its answer lands on instance B, which confirms the
 * payment — it reaches the bank once; the same answer sent again to A is refused (the challenge was
 * used up on B).
 */
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { openPostgres } from "../../src/store/postgres.js";
import { PATIENT_ENV } from "../support/dashboard.js";
import { testDatabaseUrl } from "../support/databases.js";
import { startTestGateway, TEST_ANCHOR, type TestGateway } from "../support/gateway.js";
import { createIntent } from "../payments/payment-support.js";
import { launchChromium } from "./connect-support.js";
import { signedInAt } from "./connections-support.js";
import { addVirtualAuthenticator, payingAlice, paymentsAtBank } from "./passkey-support.js";

let cluster: MockCluster;
let db: Database;
let schema: string;
/** Serves alice's pages at the public address. */
let a: TestGateway;
/** Another instance behind the same address. */
let b: TestGateway;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: ["chase"] });
  schema = `bankgraph_passkey_${randomBytes(5).toString("hex")}`;
  db = await openPostgres(testDatabaseUrl, { schema, max: 6, applicationName: "bankgraph-test-passkeys" });
  await migrate(db);
  // A serves the public address: it listens on a port of the system's choosing and takes its address
  // from it; B is told that address.
  a = await startTestGateway({ cluster, db, env: { ...PATIENT_ENV, HOST: "localhost" } });
  const env = { ...PATIENT_ENV, HOST: "localhost", PUBLIC_URL: a.gateway.publicUrl };
  b = await startTestGateway({ cluster, db, env });
  browser = await launchChromium();
  page = await signedInAt(browser, a, "alice");
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

describe("confirming across instances (PostgreSQL)", () => {
  it("options from A, answer to B: confirmed once; the same answer to A is refused", { timeout: 120_000 }, async () => {
    const { alice, account, payee } = await payingAlice(a);
    await addVirtualAuthenticator(page);
    await page.goto(`${a.gateway.publicUrl}/passkeys`);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.locator("ul.passkeys li").filter({ hasText: "This device" }).waitFor();

    const reference = `across-${randomBytes(4).toString("hex")}`;
    const created = await createIntent(a, alice.app, { fromAccountId: account, payee: { payeeId: payee.payeeId }, amount: "11.00", reference });
    const { id, confirmationUrl } = created.body.data.createPaymentIntent;
    await page.goto(confirmationUrl);

    // The confirming POST goes to instance B (same host: the session cookie goes with it).
    const onB = `http://localhost:${new URL(b.gateway.url).port}/payments/${id}/confirm`;
    let answered!: (answer: { status: number; json: any; posted: string }) => void;
    const answer = new Promise<{ status: number; json: any; posted: string }>((resolve) => (answered = resolve));
    await page.route("**/payments/*/confirm", async (route) => {
      // Only the confirming POST (the page then loads the same URL to show the outcome).
      if (route.request().method() !== "POST") return route.fallback();
      const posted = route.request().postData()!;
      const response = await route.fetch({ url: onB });
      const json = await response.json();
      answered({ status: response.status(), json, posted });
      await route.fulfill({ response, json });
    });
    await page.getByRole("button", { name: /^Confirm and pay/ }).click();
    const onInstanceB = await answer;
    expect(onInstanceB).toMatchObject({ status: 200, json: { ok: true } });
    expect((await paymentsAtBank(a)).filter((p) => p.reference === reference)).toHaveLength(1);

    const replay = await page.request.post(`${confirmationUrl}`, { headers: { "content-type": "application/json" }, data: onInstanceB.posted });
    expect(replay.status()).toBe(409);
    expect(await replay.json()).toMatchObject({ ok: false, reason: "CHALLENGE_NOT_VALID" });
    expect((await paymentsAtBank(a)).filter((p) => p.reference === reference)).toHaveLength(1);
  });
});
