/**
 * The bank's connected-apps page in Debian Chromium (one bank is enough: every mock bank serves the
 * same page in its own look). alice signs in at the bank, sees Bankgraph with the accounts it holds
 * (masked, never the full number), what it can see and when it was granted, and removes its access
 * with the keyboard alone; the bank's signed notice reaches the gateway, whose link turns
 * LOGIN_REQUIRED. The page has no serious or critical axe violation, runs no script, and its forms
 * cannot be posted without the session's token; bob, signed in at the same bank, cannot remove
 * alice's app by its id. The screenshot in docs/ is taken here.
 */
import { mkdir } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { bankLogin, expectAccessible, launchChromium, SCREENSHOTS } from "./connect-support.js";

const BANK = "wells_fargo";
let t: TestGateway;
let browser: Browser;
let user: TestUser;

beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: [BANK] } });
  user = await t.newUser("connected-apps", [BANK]);
  await t.grant(user, BANK, ["accounts:read", "balances:read"]);
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function linkStatus(): Promise<string | undefined> {
  const response = await t.gql<{ links: Array<{ status: string }> }>(`{ links { status } }`, {}, user.app);
  return response.body.data!.links[0]?.status;
}

describe("the bank's connected-apps page", () => {
  it("lists Bankgraph with masked accounts; bob cannot remove it; alice removes it by keyboard and the gateway hears of it", async () => {
    const bankUrl = t.mocks.urls[BANK]!;
    const bank = t.mocks.bank(BANK);
    const alice = await browser.newContext();
    alice.setDefaultTimeout(20_000);
    const scripts: string[] = [];
    alice.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(request.url());
    });
    const page = await alice.newPage();
    const response = await page.goto(`${bankUrl}/connected-apps`);
    expect(response?.headers()["content-security-policy"]).toContain("default-src 'none'");
    await expect(page.getByRole("heading", { name: "Sign in to Wells Fargo" }).isVisible()).resolves.toBe(true);
    await expectAccessible(page, "bank sign-in for connected apps");
    await bankLogin(page);

    await page.getByRole("heading", { name: "Connected apps" }).waitFor();
    const app = page.getByRole("region", { name: "Bankgraph" });
    await expect(app.count()).resolves.toBe(1);
    const text = await app.innerText();
    for (const account of bank.data.accountsOf("alice")) {
      expect(text).toContain(`•••• ${account.number.slice(-4)}`);
      expect(await page.content()).not.toContain(account.number);
    }
    expect(text).toMatch(/Granted on\s+\w+ \d{1,2}, \d{4}/);
    await expectAccessible(page, "connected apps");
    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: new URL("bank-connected-apps.png", SCREENSHOTS).pathname, fullPage: true });

    // bob, signed in at the same bank in his own browser, posts alice's app id with his own form token.
    const consentId = await app.locator('input[name="consent"]').getAttribute("value");
    const bob = await browser.newContext();
    const bobPage = await bob.newPage();
    await bobPage.goto(`${bankUrl}/connected-apps`);
    await bankLogin(bobPage, "bob");
    await bobPage.getByRole("heading", { name: "Connected apps" }).waitFor();
    const bobToken = await bobPage.locator('input[name="csrf"]').first().getAttribute("value");
    const foreign = await bob.request.post(`${bankUrl}/connected-apps/remove`, { form: { csrf: bobToken!, consent: consentId! }, maxRedirects: 0 });
    expect(foreign.status()).toBe(404);
    // Without the session's token (a form on another site): refused, nothing removed.
    const forged = await bob.request.post(`${bankUrl}/connected-apps/remove`, { form: { csrf: "forged", consent: consentId! }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    await bob.close();
    expect(bank.consents.get(consentId!)?.status).toBe("Authorised");
    expect(await linkStatus()).toBe("ACTIVE");

    // Keyboard only: Tab reaches "Remove access" (the first control after the sign-in), Enter presses it.
    const remove = app.getByRole("button", { name: "Remove access" });
    const focused = () =>
      remove.evaluate((element) => {
        const node = element as unknown as { ownerDocument: { activeElement: unknown } };
        return node.ownerDocument.activeElement === node;
      });
    for (let i = 0; i < 10 && !(await focused()); i++) await page.keyboard.press("Tab");
    await expect(focused()).resolves.toBe(true);
    await page.keyboard.press("Enter");
    await page.getByRole("status").waitFor();
    expect(await page.getByRole("status").innerText()).toBe("Bankgraph can no longer see your Wells Fargo accounts.");
    await expect(page.getByRole("region", { name: "Bankgraph" }).count()).resolves.toBe(0);
    await expectAccessible(page, "connected apps after removal");
    expect(scripts).toEqual([]);

    await bank.securityEventsSettled();
    expect(bank.securityEventDeliveries()).toEqual([expect.objectContaining({ status: 202, attempts: 1 })]);
    expect(await linkStatus()).toBe("LOGIN_REQUIRED");
    await alice.close();
  }, 180_000);
});
