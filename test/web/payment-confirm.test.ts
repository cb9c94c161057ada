/**
 * The person confirms a payment with a passkey (issue 16 item 3), in Debian Chromium with a CDP
 * virtual authenticator: alice adds a passkey on /passkeys (reached from /connections), the app
 * starts a payment over GraphQL, alice opens its confirmationUrl, reads the details and confirms
 * with her passkey (user verification: the device's PIN or fingerprint) — the payment reaches the
 * mock bank exactly once. Every refusal leaves the bank without a payment: details changed after
 * the challenge (in the post, or in the store), no user verification, a replayed answer, another
 * person, no CSRF token, an expired payment. The tests run in order on alice's one tab and device:
 * the first adds the passkey the others confirm with; the last moves the clock past the expiry.
 */
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MINUTE_MS, type ManualClock } from "../../src/clock.js";
import type { RegisteredPayee } from "../../src/providers/payment-rail.js";
import { pageCsp } from "../../src/web/page-security.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { createIntent } from "../payments/payment-support.js";
import { expectAccessible, launchChromium, signIn } from "./connect-support.js";
import { signedInAt } from "./connections-support.js";
import { addVirtualAuthenticator, payingAlice, paymentsAtBank, screenshot, type VirtualAuthenticator } from "./passkey-support.js";

let t: TestGateway;
let browser: Browser;
let alice: TestUser;
let account: string;
/** alice's first payee registered at Chase. */
let payee: RegisteredPayee;
/** alice's one browser tab, signed in, with her device's authenticator. */
let page: Page;
let device: VirtualAuthenticator;

beforeAll(async () => {
  // WebAuthn needs a domain for its RP ID (an IP address is refused): the gateway's public URL is http://localhost:<port>.
  t = await startTestGateway({ mocks: { banks: ["chase"] }, env: { HOST: "localhost" } });
  browser = await launchChromium();
  ({ alice, account, payee } = await payingAlice(t));
  page = await signedInAt(browser, t, "alice");
  device = await addVirtualAuthenticator(page);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** A new payment the app asks for; its id and confirmation URL. */
async function startPayment(amount: string, reference = `ref-${randomUUID().slice(0, 8)}`) {
  const created = await createIntent(t, alice.app, { fromAccountId: account, payee: { payeeId: payee.payeeId }, amount, reference });
  expect(created.body.errors).toBeUndefined();
  const intent = created.body.data.createPaymentIntent;
  expect(intent).toMatchObject({ decision: "APPROVED", status: "REQUIRES_CONFIRMATION" });
  return { id: intent.id as string, url: intent.confirmationUrl as string, reference };
}

const paymentStatus = async (id: string) =>
  (await t.gql(`query($id: ID!) { payment(id: $id) { status statusHistory { status source } } }`, { id }, alice.app)).body.data.payment;

interface ConfirmAnswer {
  status: number;
  body: { ok: boolean; reason?: string; message: string };
  /** What the page posted (after `change`). */
  posted: string;
}

/**
 * Presses the page's confirm button and returns what the gateway answered its confirming POST;
 * `change` may rewrite that POST on its way (or act just before it is sent).
 */
async function confirmOnPage(change: (body: any) => Promise<void> | void = () => {}): Promise<ConfirmAnswer> {
  let answered!: (answer: ConfirmAnswer) => void;
  const answer = new Promise<ConfirmAnswer>((resolve) => (answered = resolve));
  await page.route("**/payments/*/confirm", async (route) => {
    // Only the confirming POST (the page then loads the same URL to show the outcome).
    if (route.request().method() !== "POST") return route.fallback();
    const body = JSON.parse(route.request().postData()!);
    await change(body);
    const posted = JSON.stringify(body);
    const response = await route.fetch({ postData: posted });
    const json = await response.json();
    answered({ status: response.status(), body: json, posted });
    await route.fulfill({ response, json });
  });
  try {
    await confirmButton().click();
    return await answer;
  } finally {
    await page.unroute("**/payments/*/confirm");
  }
}

/** The CSRF token of the page's signed-in session (read from the sign-out form of /signin/whoami). */
const csrfTokenOf = async (on: Page) =>
  /name="csrf_token" value="([^"]+)"/.exec(await (await on.request.get(`${t.gateway.publicUrl}/signin/whoami`)).text())![1]!;

/** The payment is still waiting for the person and its bank has nothing with its reference. */
async function expectNothingSent(payment: { id: string; reference: string }) {
  expect((await paymentsAtBank(t)).filter((p) => p.reference === payment.reference)).toEqual([]);
  expect((await paymentStatus(payment.id)).status).toBe("REQUIRES_CONFIRMATION");
}

/** The passkey named `label` in the list, never used yet. */
const passkeyListed = (label: string) => page.locator("ul.passkeys li").filter({ hasText: label }).filter({ hasText: "never used yet" });
const confirmButton = () => page.getByRole("button", { name: /^Confirm and pay/ });
const statusLine = () => page.locator("#payment-confirm [role=status]");

describe("passkeys on /passkeys", () => {
  it("the person adds a passkey (user verification required) from a link on /connections, sees it, and removes one", async () => {
    await page.getByRole("link", { name: "manage your passkeys" }).click();
    await page.waitForURL(`${t.gateway.publicUrl}/passkeys`);
    await expect(page.locator("main").textContent()).resolves.toContain("You have no passkey yet.");
    await page.getByLabel("Name it, so you recognise it later").fill("Spare key");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await passkeyListed("Spare key").waitFor();
    await page.getByLabel("Name it, so you recognise it later").fill("Alice's phone");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    // The same authenticator cannot add a second passkey (excluded), so the list still has one: the first.
    await page.locator("#add-passkey [role=status]").filter({ hasText: "Nothing was done" }).waitFor();
    expect(await device.credentialCount()).toBe(1);
    await expectAccessible(page, "passkeys");

    await page.getByRole("button", { name: "Remove Spare key" }).click();
    await page.getByText("You have no passkey yet.").waitFor();
    await page.getByLabel("Name it, so you recognise it later").fill("Alice's phone");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await passkeyListed("Alice's phone").waitFor();
  }, 60_000);
});

describe("confirming a payment with a passkey", () => {
  it("shows the details in plain words, confirms with the passkey, sends it to the bank exactly once; a replayed answer is refused", async () => {
    const payment = await startPayment("12.34");
    const shownPage = await page.goto(payment.url);
    // Scripts from this gateway only, none inline, and calls back to it only.
    expect(shownPage!.headers()["content-security-policy"]).toBe(pageCsp([], true));
    expect(pageCsp([], true)).toContain("script-src 'self'; connect-src 'self'");
    expect(pageCsp([], true)).not.toContain("unsafe");
    const main = (await page.locator("main").textContent())!.replace(/\s+/g, " ");
    for (const words of [
      "Confirm a payment of 12.34 USD",
      "Messenger (test) asks you",
      `${payee.displayName} (${payee.maskedDestination}), your payee at JPMorgan Chase`,
      "account ending in",
      payment.reference,
      "This request expires at",
      "in 10 minutes",
    ]) {
      expect(main, words).toContain(words);
    }
    expect(main).toMatch(/Fee (\d+\.\d\d USD|JPMorgan Chase did not say)/);
    await expectAccessible(page, "payment confirmation");
    await screenshot(page, "payment-confirm");

    const before = (await paymentsAtBank(t)).length;
    const answer = await confirmOnPage();
    expect(answer).toMatchObject({ status: 200, body: { ok: true } });
    await page.getByRole("heading", { name: "Payment confirmed" }).waitFor();

    const atBank = (await paymentsAtBank(t)).filter((p) => p.reference === payment.reference);
    expect(atBank).toHaveLength(1);
    expect(atBank[0]!.amountMinor).toBe(1234);
    expect((await paymentsAtBank(t)).length).toBe(before + 1);
    const read = await paymentStatus(payment.id);
    expect(["SUBMITTED", "PENDING", "SETTLED"]).toContain(read.status);
    expect(read.statusHistory).toContainEqual({ status: "CONFIRMED", source: "PERSON" });

    // The same signed answer again (its challenge is used up): refused, still one payment at the bank.
    const replay = await page.request.post(`${t.gateway.publicUrl}/payments/${payment.id}/confirm`, {
      headers: { "content-type": "application/json" },
      data: answer.posted,
    });
    expect(replay.status()).toBe(409);
    expect(await replay.json()).toMatchObject({ ok: false, reason: "CHALLENGE_NOT_VALID" });
    expect((await paymentsAtBank(t)).filter((p) => p.reference === payment.reference)).toHaveLength(1);
  }, 60_000);

  it("refuses an amount changed in what the page posts after the challenge: PAYMENT_DETAILS_CHANGED, nothing at the bank", async () => {
    const payment = await startPayment("7.00");
    await page.goto(payment.url);
    const answer = await confirmOnPage((body) => {
      body.details.amount = "70.00";
    });
    expect(answer).toMatchObject({ status: 409, body: { ok: false, reason: "PAYMENT_DETAILS_CHANGED" } });
    await statusLine().filter({ hasText: "changed after you were shown them, so nothing was sent" }).waitFor();
    await expectNothingSent(payment);
  }, 60_000);

  it("refuses when the stored payment's amount changes after the options were issued: nothing at the bank", async () => {
    const payment = await startPayment("8.00");
    await page.goto(payment.url);
    const answer = await confirmOnPage(async () => {
      // Between the challenge and the answer, the payment itself is changed in the store (8.00 → 8.01).
      await t.gateway.services.db.query("UPDATE payment_intents SET amount_minor = 801 WHERE id = $1", [payment.id]);
    });
    expect(answer).toMatchObject({ status: 409, body: { ok: false, reason: "PAYMENT_DETAILS_CHANGED" } });
    await expectNothingSent(payment);
  }, 60_000);

  it("refuses to confirm without user verification: the device gives no answer, and an answer made without it (options weakened on the way) is refused by the server", async () => {
    const payment = await startPayment("9.00");
    await page.goto(payment.url);
    await device.setUserVerified(false);
    // As asked (user verification required), a device that cannot verify the person gives no answer: nothing is posted.
    const confirmingPosts: string[] = [];
    const watch = (request: { method(): string; url(): string }) => {
      if (request.method() === "POST" && new URL(request.url()).pathname.endsWith("/confirm")) confirmingPosts.push(request.url());
    };
    page.on("request", watch);
    await confirmButton().click();
    await statusLine().filter({ hasText: "did not confirm it was you" }).waitFor();
    page.off("request", watch);
    expect(confirmingPosts).toEqual([]);
    await statusLine().evaluate((line) => (line.textContent = ""));
    // A man in the middle asks the device not to verify the person: the server still requires it.
    await page.route("**/payments/*/confirm/options", async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.options.userVerification = "discouraged";
      await route.fulfill({ response, json: body });
    });
    try {
      const answer = await confirmOnPage();
      expect(answer).toMatchObject({ status: 400, body: { ok: false, reason: "NOT_VERIFIED" } });
    } finally {
      await page.unroute("**/payments/*/confirm/options");
      await device.setUserVerified(true);
    }
    await statusLine().filter({ hasText: "did not confirm it was you" }).waitFor();
    await expectNothingSent(payment);
  }, 60_000);

  it("answers another person 404, as for a payment that does not exist, after sending them to sign in and back; their passkeys are not theirs to remove", async () => {
    const payment = await startPayment("5.00");
    const context = await browser.newContext();
    context.setDefaultTimeout(30_000);
    const bob = await context.newPage();
    await bob.goto(payment.url);
    await signIn(bob, "bob");
    await bob.waitForURL(payment.url);
    const shown = await bob.reload();
    expect(shown!.status()).toBe(404);
    const bobText = await bob.locator("main").textContent();
    expect(bobText).not.toContain("5.00");
    const none = await bob.goto(`${t.gateway.publicUrl}/payments/${randomUUID()}/confirm`);
    expect(none!.status()).toBe(404);
    await expect(bob.locator("main").textContent()).resolves.toBe(bobText);
    const csrf = await csrfTokenOf(bob);
    const options = await bob.request.post(`${payment.url}/options`, { data: { csrf_token: csrf, details: {} } });
    expect(options.status()).toBe(404);
    // Nor can bob remove alice's passkey: 404, and it is still hers.
    const [aliceKey] = await t.gateway.services.db.query<{ credential_id: string }>("SELECT credential_id FROM passkeys WHERE user_id = 'alice'");
    const remove = await bob.request.post(`${t.gateway.publicUrl}/passkeys/${aliceKey!.credential_id}/remove`, { form: { csrf_token: csrf } });
    expect(remove.status()).toBe(404);
    await expect(t.gateway.services.db.query("SELECT 1 FROM passkeys WHERE credential_id = $1", [aliceKey!.credential_id])).resolves.toHaveLength(1);
    await context.close();
    expect((await paymentStatus(payment.id)).status).toBe("REQUIRES_CONFIRMATION");
  }, 60_000);

  it("refuses a POST without the page's CSRF token (403), changing nothing", async () => {
    const payment = await startPayment("6.00");
    await page.goto(payment.url);
    const options = await page.request.post(`${payment.url}/options`, { data: { details: {} } });
    expect(options.status()).toBe(403);
    const decline = await page.request.post(`${t.gateway.publicUrl}/payments/${payment.id}/decline`, { form: { csrf_token: "not-the-token" } });
    expect(decline.status()).toBe(403);
    expect((await paymentStatus(payment.id)).status).toBe("REQUIRES_CONFIRMATION");
  }, 60_000);

  it("lets the person decline a payment (CANCELLED by the PERSON); nothing can be confirmed afterwards", async () => {
    const payment = await startPayment("4.00");
    await page.goto(payment.url);
    await page.getByRole("button", { name: "Decline this payment" }).click();
    await page.getByRole("heading", { name: "This payment was cancelled" }).waitFor();
    await expect(confirmButton().count()).resolves.toBe(0);
    const read = await paymentStatus(payment.id);
    expect(read.status).toBe("CANCELLED");
    expect(read.statusHistory).toContainEqual({ status: "CANCELLED", source: "PERSON" });
  }, 60_000);

  it("shows the details without JavaScript and says that confirming needs a passkey and JavaScript", async () => {
    const payment = await startPayment("3.00");
    const context = await browser.newContext({ javaScriptEnabled: false });
    context.setDefaultTimeout(30_000);
    const plain = await context.newPage();
    await plain.goto(payment.url);
    await signIn(plain, "alice");
    await plain.waitForURL(payment.url);
    const main = (await plain.locator("main").textContent())!.replace(/\s+/g, " ");
    expect(main).toContain("Confirm a payment of 3.00 USD");
    expect(main).toContain("Confirming a payment needs your passkey and JavaScript");
    await expect(plain.getByRole("button", { name: /^Confirm and pay/ }).isVisible()).resolves.toBe(false);
    await context.close();
  }, 60_000);

  it("shows an expired payment plainly, with nothing to confirm; its options are refused", async () => {
    const payment = await startPayment("2.00");
    (t.clock as ManualClock).advance(11 * MINUTE_MS);
    await page.goto(payment.url);
    await page.getByRole("heading", { name: "This payment has expired" }).waitFor();
    await expect(confirmButton().count()).resolves.toBe(0);
    await expect(page.getByRole("button", { name: "Decline this payment" }).count()).resolves.toBe(0);
    const csrf = await csrfTokenOf(page);
    const options = await page.request.post(`${payment.url}/options`, { data: { csrf_token: csrf, details: {} } });
    expect(options.status()).toBe(409);
    expect((await paymentsAtBank(t)).filter((p) => p.reference === payment.reference)).toEqual([]);
  }, 60_000);
});
