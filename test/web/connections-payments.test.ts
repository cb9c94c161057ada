/**
 * Money sent, on the person's dashboard, in Debian Chromium: alice signs in and sees every payment
 * apps started for her (amount, whom — email and phone partly masked —, from which account —
 * masked —, app, status, when), opens one with its status history, and cancels one still waiting
 * for her (POST with the session's CSRF token, source PERSON; the app is told through its events).
 * A confirmed payment has no Cancel; a form without her token, or bob's payment, changes nothing.
 * The payments are on her access log page too. Every page passes axe-core; the dashboard's
 * screenshot is docs/screenshots/connections-payments.png.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { PATIENT_ENV } from "../support/dashboard.js";
import { BANK_SCOPES, startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { PAYMENT_BANKS, paymentSession, railAt } from "../support/payment-banks.js";
import { createIntent, grantPayments, payableAccount, readPayment, shownDetailsSha256, toldStatuses } from "../payments/payment-support.js";
import { expectAccessible, launchChromium } from "./connect-support.js";
import { internalId, personFor, screenshot, signedInAt } from "./connections-support.js";

let t: TestGateway;
let browser: Browser;
let alice: TestUser;
let bob: TestUser;
const accounts: Record<string, string> = {};
/** alice's payments: to bob's email (confirmed), to a phone (waiting), to a registered payee at U.S. Bank (waiting). */
const ids = { email: "", phone: "", registered: "", bobs: "" };

async function linkForPayments(person: TestUser, institution: string) {
  const outcome = await t.linkAtBank(person.userId, institution, { username: person.userId, scopes: [...BANK_SCOPES, "payments:write"] });
  if (outcome.status !== "LINKED") throw new Error(outcome.error);
  person.links[institution] = encodeGlobalId("Link", outcome.link.id);
  await grantPayments(t, person, institution, { perPayment: "50.00", dailyAmount: "200.00", dailyCount: 10 });
  return (await payableAccount(t, person, institution)).id;
}

async function pay(person: TestUser, account: string, payee: Record<string, string>, amount: string) {
  const response = await createIntent(t, person.app, { fromAccountId: account, payee, amount, reference: "Dinner on Friday" });
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data.createPaymentIntent;
}

beforeAll(async () => {
  t = await startTestGateway({ env: PATIENT_ENV, mocks: { banks: ["paypal", "us_bank"] } });
  browser = await launchChromium();
  alice = await personFor(t, "alice");
  bob = await personFor(t, "bob");
  accounts["paypal"] = await linkForPayments(alice, "paypal");
  accounts["us_bank"] = await linkForPayments(alice, "us_bank");
  const usBank = PAYMENT_BANKS.find((b) => b.module.id === "us_bank")!;
  const [registered] = await railAt(t.mocks, usBank).listPayees(await paymentSession(t.mocks, usBank));
  const email = await pay(alice, accounts["paypal"], { email: "bob@example.com" }, "12.00");
  ids.email = email.id;
  await t.gateway.services.payments.confirmAndSubmit(email.id, "alice", shownDetailsSha256(accounts["paypal"], email));
  ids.phone = (await pay(alice, accounts["paypal"], { phone: "+15557654321" }, "7.25")).id;
  ids.registered = (await pay(alice, accounts["us_bank"], { payeeId: registered!.payeeId }, "30.00")).id;
  const bobsAccount = await linkForPayments(bob, "paypal");
  ids.bobs = (await pay(bob, bobsAccount, { email: "alice@example.com" }, "5.00")).id;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const rowOf = (page: Page, paymentId: string) => page.locator("tr", { has: page.locator(`a[href="/connections/payments/${paymentId}"]`) });

describe("money sent on /connections, in Chromium", { timeout: 120_000 }, () => {
  let page: Page;

  it("lists each payment: amount, whom (masked), from which account (masked), app, status and when — never a full email or phone", async () => {
    page = await signedInAt(browser, t, "alice");
    const section = page.locator("section", { has: page.getByRole("heading", { name: "Money sent" }) });
    await expect(section.locator("tbody tr").count()).resolves.toBe(3);
    const email = await rowOf(page, ids.email).innerText();
    expect(email).toContain("12.00 USD");
    expect(email).toContain("the email address b•••@example.com");
    expect(email).toMatch(/PayPal ••\d{4}/);
    expect(email).toContain("Sent to your bank");
    const phone = await rowOf(page, ids.phone).innerText();
    expect(phone).toContain("the phone number ending ••• 4321");
    expect(phone).toContain("Waiting for you to confirm");
    const registered = await rowOf(page, ids.registered).innerText();
    expect(registered).toMatch(/a payee you registered at U\.S\. Bancorp|a payee you registered at U\.S\. Bank/);
    const text = await page.content();
    expect(text).not.toContain("bob@example.com");
    expect(text).not.toContain("5557654321");
    expect(text).not.toContain(ids.bobs);
    await expectAccessible(page, "the dashboard with money sent");
    await screenshot(page, "payments");
  });

  it("a payment's page shows its history; Cancel (POST + CSRF) cancels it as the person, and the app is told", async () => {
    await page.locator(`a[href="/connections/payments/${ids.registered}"]`).click();
    await page.waitForURL(`**/connections/payments/${ids.registered}`);
    await expect(page.locator("h1").innerText()).resolves.toContain("30.00 USD to a payee you registered at");
    await expect(page.locator("table").innerText()).resolves.toContain("Waiting for you to confirm");
    await expect(page.getByRole("link", { name: "review and confirm it with your passkey" }).getAttribute("href")).resolves.toBe(
      `/payments/${ids.registered}/confirm`,
    );
    await expectAccessible(page, "a payment waiting for the person");
    await page.getByRole("button", { name: "Cancel this payment" }).click();
    await expect(page.locator("h1").innerText()).resolves.toBe("Payment cancelled");
    await expect(page.getByRole("status").innerText()).resolves.toContain("No money moved");
    const read = await readPayment(t, alice.app, ids.registered);
    expect(read.status).toBe("CANCELLED");
    expect(read.statusHistory.at(-1)).toEqual({ status: "CANCELLED", reason: "CANCELLED_BY_PERSON", source: "PERSON" });
    expect((await toldStatuses(t, alice.app, ids.registered)).at(-1)).toEqual({ status: "CANCELLED", reason: "CANCELLED_BY_PERSON" });
    await page.goto(`${t.gateway.publicUrl}/connections/payments/${ids.registered}`);
    await expect(page.getByRole("button", { name: "Cancel this payment" }).count()).resolves.toBe(0);
    await expect(page.locator("table").innerText()).resolves.toMatch(/Cancelled\s+You\s+cancelled by you/);
  });

  it("a confirmed payment has no Cancel; posting one anyway changes nothing and says why", async () => {
    await page.goto(`${t.gateway.publicUrl}/connections/payments/${ids.email}`);
    await expect(page.getByRole("button", { name: "Cancel this payment" }).count()).resolves.toBe(0);
    await expect(page.locator("table").innerText()).resolves.toMatch(/Confirmed by you, being sent\s+You/);
    await expectAccessible(page, "a confirmed payment");
    await page.goto(`${t.gateway.publicUrl}/connections/payments/${ids.phone}`);
    const csrf = await page.locator('input[name="csrf_token"]').first().inputValue();
    const post = await page.request.post(`${t.gateway.publicUrl}/connections/payments/${ids.email}/cancel`, { form: { csrf_token: csrf } });
    expect(post.status()).toBe(409);
    expect((await readPayment(t, alice.app, ids.email)).status).not.toBe("CANCELLED");
  });

  it("without her CSRF token, or for bob's payment, nothing changes: 403, and the same 404 as a payment that does not exist", async () => {
    await page.goto(`${t.gateway.publicUrl}/connections/payments/${ids.phone}`);
    const csrf = await page.locator('input[name="csrf_token"]').first().inputValue();
    const forged = await page.request.post(`${t.gateway.publicUrl}/connections/payments/${ids.phone}/cancel`, { form: { csrf_token: "not-hers" } });
    expect(forged.status()).toBe(403);
    expect((await readPayment(t, alice.app, ids.phone)).status).toBe("REQUIRES_CONFIRMATION");
    const bobsPage = await page.goto(`${t.gateway.publicUrl}/connections/payments/${ids.bobs}`);
    expect(bobsPage!.status()).toBe(404);
    const bobsCancel = await page.request.post(`${t.gateway.publicUrl}/connections/payments/${ids.bobs}/cancel`, { form: { csrf_token: csrf } });
    expect(bobsCancel.status()).toBe(404);
    expect((await readPayment(t, bob.app, ids.bobs)).status).toBe("REQUIRES_CONFIRMATION");
    const missing = await page.goto(`${t.gateway.publicUrl}/connections/payments/00000000-0000-4000-8000-000000000000`);
    expect(missing!.status()).toBe(404);
    const noSession = await fetch(`${t.gateway.publicUrl}/connections/payments/${ids.phone}`, {
      headers: { authorization: `Bearer ${alice.app}` },
      redirect: "manual",
    });
    expect(noSession.status).toBe(303);
  });

  it("money movement is on her access log: the payments consent's page lists the app's payment calls under sending money", async () => {
    await page.goto(`${t.gateway.publicUrl}/connections/consents/${internalId(alice.consents["paypal"]!)}`);
    const reads = page.locator("table", { has: page.getByRole("columnheader", { name: "Which data" }) });
    await expect(reads.innerText()).resolves.toContain("Send money from your accounts");
    await expectAccessible(page, "the payments consent's access log");
  });
});
