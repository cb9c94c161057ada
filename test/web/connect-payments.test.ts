/**
 * payments:write through a connect session (issue 16), in Debian Chromium: the app proposes limits,
 * the disclosure page shows sending money apart from the reads with those limits, the person lowers
 * them (a plain form, no script, under the page's CSP and CSRF token) and cannot raise them; the
 * consent then carries exactly the person's limits and the accounts shared at the bank.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { bankLogin, createConnectSession, expectAccessible, journeyBrowser, launchChromium, signIn } from "./connect-support.js";

let t: TestGateway;
let browser: Browser;

beforeAll(async () => {
  t = await startTestGateway();
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const PAYING = {
  purpose: "PAYMENTS_SUPPORT",
  scopes: ["accounts:read", "payments:write"],
  institutionIds: ["chase"],
};
const PROPOSED = { currency: "USD", perPayment: "100.00", dailyAmount: "300.00", dailyCount: 5 };

describe("payments:write in a connect session", () => {
  it("is refused without limits, with limits but without the scope, and under a purpose that may not carry it", async () => {
    const noLimits = await createConnectSession(t, "alice", PAYING);
    expect(noLimits.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "PAYMENT_LIMITS_REQUIRED" });
    const noScope = await createConnectSession(t, "alice", { institutionIds: ["chase"], paymentLimits: PROPOSED });
    expect(noScope.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "PAYMENT_LIMITS_WITHOUT_SCOPE" });
    const wrongPurpose = await createConnectSession(t, "alice", { ...PAYING, purpose: "ACCOUNT_OVERVIEW", paymentLimits: PROPOSED });
    expect(wrongPurpose.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "SCOPE_BEYOND_PURPOSE" });
  });

  it("shows sending money apart, with the proposed limits; the person lowers them (raising is refused) and the consent carries theirs", async () => {
    const created = await createConnectSession(t, "alice", { ...PAYING, paymentLimits: PROPOSED });
    expect(created.body.errors).toBeUndefined();
    const { url } = created.body.data!.createConnectSession;
    const { context, appArrivals } = await journeyBrowser(browser, t);
    const page = await context.newPage();
    await page.goto(url);
    await signIn(page, "alice");
    await page.waitForURL(url);

    await expect(page.locator("h1").textContent()).resolves.toBe("Messenger (test) wants to read data from your bank accounts and send money for you");
    const main = (await page.locator("main").textContent())!.replace(/\s+/g, " ");
    for (const words of ["Sending money", "At most 100.00 USD per payment", "At most 300.00 USD and 5 payments in any 24 hours", "confirm it yourself"]) {
      expect(main, words).toContain(words);
    }
    // Not one line among the reads.
    await expect(page.locator("ul.scopes").textContent()).resolves.not.toContain("Send money");
    await expectAccessible(page, "disclosure with payments");

    await page.getByLabel("Per payment, at most").fill("200.00");
    await page.getByRole("button", { name: "Continue to your bank" }).click();
    await expect(page.locator("p.error").textContent()).resolves.toContain("can only be lowered");
    await page.getByLabel("Per payment, at most").fill("500.00");
    await page.getByRole("button", { name: "Continue to your bank" }).click();
    await expect(page.locator("p.error").textContent()).resolves.toBe("The amount per payment cannot be above the amount in any 24 hours.");

    await page.getByLabel("Per payment, at most").fill("25.00");
    await page.getByLabel("Payments in any 24 hours, at most").fill("2");
    await page.getByRole("button", { name: "Continue to your bank" }).click();
    await page.waitForURL((u) => u.origin === new URL(t.mocks.urls["chase"]!).origin);
    await bankLogin(page);
    await page.getByRole("button", { name: "Allow" }).click();
    await page.getByRole("checkbox").first().waitFor();
    await page.getByRole("button", { name: "Share selected accounts" }).click();
    await page.waitForURL((u) => u.href.startsWith(`${t.gateway.publicUrl}/connect/callback/chase`));
    await page.getByRole("link", { name: "Return to Messenger (test)" }).click();
    await expect.poll(() => appArrivals.length).toBe(1);
    await context.close();

    const read = await t.gql(
      `{ consents(status: [AUTHORIZED]) { scopes purpose paymentLimits { perPayment { amount currency } dailyAmount { amount } dailyCount fromAccountIds endsAt } } }`,
      {},
      await t.token("alice"),
    );
    const paying = read.body.data.consents.find((c: { scopes: string[] }) => c.scopes.includes("payments:write"));
    expect(paying).toMatchObject({
      purpose: "PAYMENTS_SUPPORT",
      paymentLimits: { perPayment: { amount: "25.00", currency: "USD" }, dailyAmount: { amount: "300.00" }, dailyCount: 2 },
    });
    expect(paying.paymentLimits.fromAccountIds.length).toBeGreaterThan(0);
  }, 120_000);
});
