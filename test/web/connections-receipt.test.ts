/**
 * The receipt page in Debian Chromium: alice connects Wells Fargo through the whole connect
 * journey, then her receipt page shows the signed receipt in words — with the SHA-256 of the very
 * disclosure text she read — and downloads it as a file (application/jose) that is the receipt the
 * API gives. After she stops sharing, the page lists both receipts. bob, signed in, gets 404 for
 * her page and her file; no page answers without a sign-in, whatever bearer token is sent.
 * axe-core finds no serious or critical violation; the page is photographed for docs/receipts.md.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { localConsentId } from "../receipts/receipt-support.js";
import { bankLogin, createConnectSession, expectAccessible, journeyBrowser, launchChromium, SCREENSHOTS, signIn } from "./connect-support.js";

let t: TestGateway;
let browser: Browser;

beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["wells_fargo"] } });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

interface ConsentWithReceipts {
  id: string;
  status: string;
  receipts: Array<{ id: string; event: string; jws: string; disclosureSha256: string | null }>;
}

async function aliceConsents(): Promise<ConsentWithReceipts[]> {
  const response = await t.gql<{ consents: ConsentWithReceipts[] }>(
    `{ consents { id status receipts { id event jws disclosureSha256 } } }`,
    {},
    await t.token("alice", { scopes: ["consent:manage"] }),
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.consents;
}

describe("the receipt page in Chromium", () => {
  it("shows alice's signed receipt in words, downloads it, lists every receipt, and is bob's 404", async () => {
    const created = await createConnectSession(t, "alice", {
      institutionIds: ["wells_fargo"],
      scopes: ["accounts:read", "balances:read", "transactions:read"],
      historyDays: 90,
    });
    expect(created.body.errors).toBeUndefined();
    const { id: sessionId, url } = created.body.data!.createConnectSession;
    const { context } = await journeyBrowser(browser, t);
    const page = await context.newPage();
    await page.goto(url);
    await signIn(page, "alice");
    await page.waitForURL(url);
    await page.getByRole("button", { name: "Continue to your bank" }).click();
    await bankLogin(page);
    await page.getByRole("button", { name: "Allow" }).click();
    await page.getByRole("button", { name: "Share selected accounts" }).click();
    await page.waitForURL((u) => u.href.startsWith(`${t.gateway.publicUrl}/connect/callback/wells_fargo`));
    await expect(page.locator("h1").textContent()).resolves.toBe("You are connected");

    const [consent] = await aliceConsents();
    expect(consent!.receipts.map((r) => r.event)).toEqual(["AUTHORIZED"]);
    // The receipt names the exact text she read: the disclosure the connect session recorded.
    const [disclosure] = await t.gateway.services.db.query<{ text: string; sha256: string }>(
      "SELECT text, sha256 FROM disclosures WHERE connect_session_id = $1 ORDER BY shown_at DESC LIMIT 1",
      [sessionId],
    );
    expect(createHash("sha256").update(disclosure!.text).digest("hex")).toBe(disclosure!.sha256);
    expect(consent!.receipts[0]!.disclosureSha256).toBe(disclosure!.sha256);

    const consentId = localConsentId(consent!.id);
    const receiptUrl = `${t.gateway.publicUrl}/connections/consents/${consentId}/receipt`;
    const answer = await page.goto(receiptUrl);
    expect(answer!.status()).toBe(200);
    expect(answer!.headers()["content-security-policy"]).toContain("default-src 'none'");
    await expect(page.locator("h1").textContent()).resolves.toBe("Receipt: Messenger (test) and Wells Fargo");
    const main = (await page.locator("main").textContent())!;
    for (const words of [
      "You agreed to share",
      "Messenger (test) (Messenger Test Ltd.)",
      "Which accounts you have; Account balances; Transactions",
      "So that it can show you your accounts and balances in one place",
      "The last 90 days",
      "••",
      `SHA-256 ${disclosure!.sha256}`,
      "/.well-known/jwks.json",
    ]) {
      expect(main, words).toContain(words);
    }
    const fullNumbers = t.mocks.banks
      .get("wells_fargo")!
      .data.accountsOf("alice")
      .map((a) => a.number);
    for (const number of fullNumbers) expect(await page.content()).not.toContain(number);
    await expectAccessible(page, "receipt page");

    // The download, in the browser and as the file's own response.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download this receipt" }).click()]);
    expect(download.suggestedFilename()).toBe(`consent-receipt-${consent!.receipts[0]!.id}.jws`);
    expect(await readFile(await download.path(), "utf8")).toBe(consent!.receipts[0]!.jws);
    const file = await context.request.get(`${t.gateway.publicUrl}/connections/consents/${consentId}/receipts/${consent!.receipts[0]!.id}.jws`);
    expect(file.status()).toBe(200);
    expect(file.headers()["content-type"]).toMatch(/^application\/jose/);
    expect(file.headers()["content-disposition"]).toBe(`attachment; filename="consent-receipt-${consent!.receipts[0]!.id}.jws"`);

    // She stops sharing: a second receipt, listed after the first.
    const revoked = await t.gql(
      `mutation($id: ID!) { revokeConsent(id: $id) { status } }`,
      { id: consent!.id },
      await t.token("alice", { scopes: ["consent:manage"] }),
    );
    expect(revoked.body.errors).toBeUndefined();
    await page.goto(receiptUrl);
    const rows = page.locator("tbody tr");
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.nth(1).textContent()).resolves.toContain("Sharing stopped");
    await expect(page.locator("dl").textContent()).resolves.toContain("You stopped sharing");
    await expectAccessible(page, "receipt page after stopping");
    await page.screenshot({ path: new URL("connections-receipt.png", SCREENSHOTS).pathname, fullPage: true });
    await context.close();

    // bob, signed in, asks for alice's page and file by their URLs: 404, nothing of hers.
    const { context: bobs } = await journeyBrowser(browser, t);
    const bobPage = await bobs.newPage();
    await bobPage.goto(receiptUrl);
    await signIn(bobPage, "bob");
    await bobPage.waitForURL(receiptUrl);
    await expect(bobPage.locator("h1").textContent()).resolves.toBe("Receipt not found");
    const bobSees = await bobs.request.get(receiptUrl);
    expect(bobSees.status()).toBe(404);
    const bobFile = await bobs.request.get(`${t.gateway.publicUrl}/connections/consents/${consentId}/receipts/${consent!.receipts[0]!.id}.jws`);
    expect(bobFile.status()).toBe(404);
    expect(await bobFile.text()).not.toContain(consent!.receipts[0]!.jws.slice(0, 40));
    await expectAccessible(bobPage, "receipt not found");
    await bobs.close();

    // No sign-in: off to sign in, even with alice's own bearer token (tokens never open pages).
    const anonymous = await fetch(receiptUrl, {
      redirect: "manual",
      headers: { authorization: `Bearer ${await t.token("alice", { scopes: ["consent:manage"] })}` },
    });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toMatch(/^\/signin\?return_to=/);
  }, 180_000);
});
