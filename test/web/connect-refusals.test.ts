/**
 * Everything that must NOT connect, in Debian Chromium: Cancel on every page (the identity
 * provider's, Bankgraph's disclosure, the bank's login, consent and account pages) returns to the
 * app's redirect URI with error=access_denied and the app's state; a bank answer with a wrong
 * state or a wrong iss, a replayed bank answer, an expired session, the wrong person, an
 * unregistered redirect URI and a forbidden purpose are each refused with a clear page or error.
 * Afterwards the store holds no link and no consent for the person (beyond a journey completed on
 * purpose before a replay).
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeAsPerson } from "../../mocks/oauth/person-at-bank.js";
import type { ManualClock } from "../../src/clock.js";
import { bankCallbackUri } from "../../src/links/bank-authorization.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { bankLogin, createConnectSession, expectAccessible, journeyBrowser, launchChromium, screenshot, signIn } from "./connect-support.js";

const BANK = "wells_fargo";
let t: TestGateway;
let browser: Browser;

beforeAll(async () => {
  // Page sessions outlive the connect session here, so "expired" is the connect session's doing.
  t = await startTestGateway({ env: { WEB_SESSION_MINUTES: "240" } });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Links and consents the store holds for this person. */
async function storedFor(userId: string) {
  const db = t.gateway.services.db;
  const links = await db.query("SELECT id FROM links WHERE user_id = $1", [userId]);
  const consents = await db.query("SELECT c.id FROM consents c JOIN links l ON l.id = c.link_id WHERE l.user_id = $1", [userId]);
  return { links: links.length, consents: consents.length };
}

/** A new session for bob at the test bank, and a browser on its URL (sign-in page of the identity provider). */
async function start(state: string): Promise<{ context: BrowserContext; page: Page; url: string; appArrivals: URL[]; id: string }> {
  const created = await createConnectSession(t, "bob", { institutionIds: [BANK], state });
  expect(created.body.errors).toBeUndefined();
  const { url, id } = created.body.data!.createConnectSession;
  const { context, appArrivals } = await journeyBrowser(browser, t);
  const page = await context.newPage();
  await page.goto(url);
  return { context, page, url, appArrivals, id };
}

async function toBank(page: Page, url: string) {
  await signIn(page, "bob");
  await page.waitForURL(url);
  await page.getByRole("button", { name: "Continue to your bank" }).click();
  await page.waitForURL((u) => u.origin === new URL(t.mocks.urls[BANK]!).origin);
}

const CANCEL_AT = ["identity provider sign-in", "disclosure", "bank login", "bank consent", "bank accounts"] as const;

describe("Cancel on every page returns access_denied with the app's state", () => {
  it.each(CANCEL_AT)(
    "Cancel on the %s page",
    async (where) => {
      const state = `cancel-${where.replace(/\W+/g, "-")}`;
      const { context, page, url, appArrivals } = await start(state);
      if (where !== "identity provider sign-in") {
        if (where === "disclosure") {
          await signIn(page, "bob");
          await page.waitForURL(url);
        } else {
          await toBank(page, url);
          if (where !== "bank login") {
            await bankLogin(page, "bob");
            if (where === "bank accounts") {
              await page.getByRole("button", { name: "Allow" }).click();
              await page.getByRole("checkbox").first().waitFor();
            } else await page.getByRole("button", { name: "Allow" }).waitFor();
          }
        }
      }
      await page.getByRole("button", { name: "Cancel" }).click();
      await expect.poll(() => appArrivals.length, { timeout: 20_000 }).toBe(1);
      expect(appArrivals[0]!.searchParams.get("error")).toBe("access_denied");
      expect(appArrivals[0]!.searchParams.get("state")).toBe(state);
      expect(await storedFor("bob")).toEqual({ links: 0, consents: 0 });
      await context.close();
    },
    120_000,
  );
});

describe("refused, with a clear page, and nothing stored", () => {
  /**
   * The bank's answer, changed on its way back: the browser starts at Bankgraph (its page session),
   * the bank's pages are walked over HTTP by the mocks' driver (a redirect is not routable in
   * Playwright, so the browser could not rewrite it), and the browser then opens the changed answer.
   */
  async function tamperedCallback(change: (callback: URL) => void) {
    const { context, page, url } = await start("tamper");
    await signIn(page, "bob");
    await page.waitForURL(url);
    // The browser must not spend the (single-use) authorization request: the driver walks it.
    let authorizationUrl = "";
    await page.route("**/continue", async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      authorizationUrl = response.headers()["location"] ?? "";
      await route.fulfill({ status: 200, contentType: "text/plain", body: "held back for the test" });
    });
    await page.getByRole("button", { name: "Continue to your bank" }).click();
    await expect.poll(() => authorizationUrl).toMatch(/^http/);
    const answer = await authorizeAsPerson({
      authorizationUrl,
      redirectUri: bankCallbackUri(t.gateway.publicUrl, BANK),
      username: "bob",
      password: "pass_good",
    });
    const callback = new URL(answer.location);
    expect(callback.searchParams.get("code")).toBeTruthy();
    change(callback);
    await page.goto(callback.href);
    return { context, page };
  }

  it("a bank answer with a wrong state", async () => {
    const { context, page } = await tamperedCallback((callback) => callback.searchParams.set("state", "not-the-state-we-sent"));
    await expect(page.locator("h1").textContent()).resolves.toBe("We could not confirm your bank's answer");
    await expectAccessible(page, "refusal page");
    await screenshot(page, "7-refused");
    expect(await storedFor("bob")).toEqual({ links: 0, consents: 0 });
    await context.close();
  }, 120_000);

  it("a bank answer with a wrong iss", async () => {
    const { context, page } = await tamperedCallback((callback) => callback.searchParams.set("iss", "http://127.0.0.1:1/"));
    await expect(page.locator("h1").textContent()).resolves.toBe("We could not confirm your bank's answer");
    expect(await storedFor("bob")).toEqual({ links: 0, consents: 0 });
    await context.close();
  }, 120_000);

  it("an expired session", async () => {
    const { context, page, url } = await start("late");
    await signIn(page, "bob");
    await page.waitForURL(url);
    (t.clock as ManualClock).advance(2 * 60 * 60_000);
    const reload = await page.reload();
    expect(reload!.status()).toBe(410);
    await expect(page.locator("h1").textContent()).resolves.toBe("This request has expired");
    expect(await storedFor("bob")).toEqual({ links: 0, consents: 0 });
    await context.close();
  }, 120_000);

  it("the wrong person: alice cannot open a session the app made for bob", async () => {
    const { context, page, url } = await start("bobs");
    await signIn(page, "alice");
    await page.waitForURL(url);
    await expect(page.locator("h1").textContent()).resolves.toBe("This request is for someone else");
    expect(await storedFor("alice")).toEqual({ links: 0, consents: 0 });
    await context.close();
  }, 120_000);

  it("an unregistered redirect URI and a forbidden purpose are refused before any page", async () => {
    const before = await t.gateway.services.db.query("SELECT id FROM connect_sessions");
    const redirect = await createConnectSession(t, "bob", { redirectUri: "https://evil.example/callback" });
    expect(redirect.body.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
    const purpose = await createConnectSession(t, "bob", { purpose: "ADVERTISING" });
    expect(purpose.body.errors?.[0]?.extensions?.["code"]).toBe("PURPOSE_FORBIDDEN");
    expect(await t.gateway.services.db.query("SELECT id FROM connect_sessions")).toHaveLength(before.length);
  });

  it("a replayed bank answer after a completed journey changes nothing", async () => {
    const { context, page, url } = await start("replay");
    let callback = "";
    page.on("request", (request) => {
      if (request.url().startsWith(`${t.gateway.publicUrl}/connect/callback/`)) callback = request.url();
    });
    await toBank(page, url);
    await bankLogin(page, "bob");
    await page.getByRole("button", { name: "Allow" }).click();
    await page.getByRole("button", { name: "Share selected accounts" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("You are connected");
    const after = await storedFor("bob");
    expect(after).toEqual({ links: 1, consents: 1 });
    const replay = await page.goto(callback);
    expect(replay!.status()).toBeGreaterThanOrEqual(400);
    expect(await page.locator("h1").textContent()).not.toBe("You are connected");
    expect(await storedFor("bob")).toEqual(after);
    await context.close();
  }, 120_000);
});
