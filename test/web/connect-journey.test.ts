/**
 * The whole connect journey in Debian Chromium, for each of the six banks: the app creates a
 * session over GraphQL → alice signs in at the identity provider → Bankgraph's disclosure →
 * the bank's own login, consent and account pages (one account left out) → Bankgraph's completion
 * page → back at the app's redirect URI with its state → the app's next GraphQL read returns
 * exactly the accounts chosen at the bank. Every page passes axe-core (no serious or critical
 * violation); the bank password is in no request the browser sent to Bankgraph, in no log line and
 * nowhere in the store. Screenshots of each page go to docs/screenshots/ for docs/connect.md.
 */
import { Writable } from "node:stream";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/observability/logger.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { bankLogin, createConnectSession, expectAccessible, journeyBrowser, launchChromium, screenshot, signIn } from "./connect-support.js";

const BANK_PASSWORD = "pass_good";
const logLines: string[] = [];
let t: TestGateway;
let browser: Browser;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  t = await startTestGateway({ logger: createLogger("debug", sink) });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const BANKS = ["chase", "wells_fargo", "citi", "us_bank", "paypal", "amex"];
/** The bank whose journey is photographed for docs/connect.md. */
const SCREENSHOT_BANK = "wells_fargo";

describe("the connect journey in Chromium", () => {
  it("knows the six banks", () => {
    expect([...t.mocks.banks.keys()].sort()).toEqual([...BANKS].sort());
  });

  it.each(BANKS)(
    "%s: sign in, disclosure, the bank's own pages with one account left out, back to the app, exactly those accounts",
    async (bank) => {
      const first = bank === SCREENSHOT_BANK;
      const state = `app-state-${bank}`;
      const created = await createConnectSession(t, "alice", { institutionIds: [bank], state });
      expect(created.body.errors).toBeUndefined();
      const { url } = created.body.data!.createConnectSession;
      const { context, toBankgraph, appArrivals } = await journeyBrowser(browser, t);
      const page = await context.newPage();

      await page.goto(url);
      expect(new URL(page.url()).origin, "sent to the identity provider").toBe(t.mocks.identity.issuer);
      await expectAccessible(page, "identity provider sign-in");
      if (first) await screenshot(page, "1-sign-in");
      await signIn(page, "alice");

      await page.waitForURL(url);
      await expect(page.locator("h1").textContent()).resolves.toBe("Messenger (test) wants to read data from your bank accounts");
      const disclosure = await page.locator("main").textContent();
      for (const words of [
        "Messenger Test Ltd.",
        "Bankgraph",
        "not sell it",
        "advertising or cross-selling",
        "Which accounts you have",
        "Account balances",
        "Access ends on",
        "your connections page",
      ]) {
        expect(disclosure, words).toContain(words);
      }
      expect(page.getByRole("checkbox")).toBeDefined();
      await expectAccessible(page, "disclosure");
      if (first) {
        await page.locator("summary").first().click();
        await screenshot(page, "2-disclosure");
      }
      await page.getByRole("button", { name: "Continue to your bank" }).click();

      const bankOrigin = new URL(t.mocks.urls[bank]!).origin;
      await page.waitForURL((u) => u.origin === bankOrigin);
      await expectAccessible(page, `${bank} login`);
      if (first) await screenshot(page, "3-bank-login");
      await bankLogin(page);
      await page.getByRole("button", { name: "Allow" }).waitFor();
      await expectAccessible(page, `${bank} consent`);
      if (first) await screenshot(page, "4-bank-consent");
      await page.getByRole("button", { name: "Allow" }).click();

      const boxes = page.getByRole("checkbox");
      await boxes.first().waitFor();
      await expectAccessible(page, `${bank} accounts`);
      const count = await boxes.count();
      expect(count, "alice has several accounts to choose from").toBeGreaterThanOrEqual(2);
      await boxes.nth(count - 1).uncheck();
      const labels = await page.locator("label[for^='account-']").allTextContents();
      const chosen = labels.slice(0, -1).map((label) => /(\d{4})\s*$/.exec(label.trim())![1]!);
      const leftOut = /(\d{4})\s*$/.exec(labels.at(-1)!.trim())![1]!;
      if (first) await screenshot(page, "5-bank-accounts");
      await page.getByRole("button", { name: "Share selected accounts" }).click();

      await page.waitForURL((u) => u.href.startsWith(`${t.gateway.publicUrl}/connect/callback/${bank}`));
      await expect(page.locator("h1").textContent()).resolves.toBe("You are connected");
      await expectAccessible(page, "completion");
      if (first) await screenshot(page, "6-connected");
      await page.getByRole("link", { name: "Return to Messenger (test)" }).click();

      await expect.poll(() => appArrivals.length).toBe(1);
      expect(appArrivals[0]!.searchParams.get("state")).toBe(state);
      expect(appArrivals[0]!.searchParams.get("error")).toBeNull();

      const read = await t.gql<{ accounts: Array<{ mask: string; institution: { id: string } }> }>(
        `query($ids: [ID!]) { accounts(institutionIds: $ids) { mask institution { id } } }`,
        { ids: [bank] },
        await t.token("alice"),
      );
      expect(read.body.errors).toBeUndefined();
      const masks = read.body.data!.accounts.map((a) => a.mask.slice(-4)).sort();
      expect(masks).toEqual([...chosen].sort());
      expect(masks).not.toContain(leftOut);

      // The bank password reached only the bank: never a request to Bankgraph (URL, headers or body).
      expect(toBankgraph.length).toBeGreaterThan(3);
      for (const request of toBankgraph) expect(JSON.stringify(request), request.url).not.toContain(BANK_PASSWORD);
      await context.close();
    },
    120_000,
  );

  it("the bank password is in no log line and nowhere in the store", async () => {
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line).not.toContain(BANK_PASSWORD);
    const db = t.gateway.services.db;
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    expect(tables.map((r) => r.table_name)).toEqual(expect.arrayContaining(["links", "consents", "web_sessions"]));
    for (const { table_name } of tables) {
      const rows = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
      for (const { row } of rows) expect(row, table_name).not.toContain(BANK_PASSWORD);
    }
  });
});
