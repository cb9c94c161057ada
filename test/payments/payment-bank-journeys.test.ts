/**
 * A payment end to end through the gateway at PayPal (to an email address) and U.S. Bank (to a
 * registered payee), like Chase's in payment-mock-bank.test.ts: the app's createPaymentIntent over
 * HTTP, the person's confirmation through the payment service's boundary (`confirmAndSubmit`, as
 * the passkey page calls it), submission through the bank's adapter to its mock over real HTTP,
 * and the bank's signed status webhooks to SETTLED — with the banks' faults: duplicated and
 * out-of-order status webhooks, a timeout after the bank accepted, and status webhooks that
 * arrive before the gateway knows the bank's payment id (the status poller makes them good).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManualClock } from "../../src/clock.js";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { BANK_SCOPES, startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { PAYMENT_BANKS, paymentSession, railAt } from "../support/payment-banks.js";
import { until } from "../support/webhook-receiver.js";
import { SETUP_TIMEOUT_MS } from "../consent/consent-harness.js";
import { createIntent, grantPayments, payableAccount, readPayment, shownDetailsSha256, toldStatuses } from "./payment-support.js";

const QUIET_SECONDS = 60;
let t: TestGateway;
/** Whom each bank pays in these tests. */
const payees: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  t = await startTestGateway({
    mocks: { banks: ["paypal", "us_bank"] },
    // A bank call waits 5 s: long enough that a test can watch the bank's webhooks arrive while the gateway still waits for its answer.
    env: { PAYMENT_STATUS_QUIET_SECONDS: String(QUIET_SECONDS), BANK_TIMEOUT_MS: "5000" },
  });
  t.mocks.events.setWebhookTarget(`${new URL(t.gateway.url).origin}/webhooks`);
  const [registered] = await railAt(
    t.mocks,
    PAYMENT_BANKS.find((b) => b.module.id === "us_bank")!,
  ).listPayees(
    await paymentSession(
      t.mocks,
      PAYMENT_BANKS.find((b) => b.module.id === "us_bank")!,
    ),
  );
  payees["us_bank"] = { payeeId: registered!.payeeId };
  payees["paypal"] = { email: "bob@example.com" };
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await t?.close();
});

const BANKS = [
  { institution: "paypal", payee: "an email address" },
  { institution: "us_bank", payee: "a registered payee" },
] as const;

async function payer(institution: string): Promise<{ user: TestUser; account: string }> {
  const user = await t.newUser(`journey-${institution}`, []);
  const outcome = await t.linkAtBank(user.userId, institution, { scopes: [...BANK_SCOPES, "payments:write"] });
  if (outcome.status !== "LINKED") throw new Error(outcome.error);
  user.links[institution] = encodeGlobalId("Link", outcome.link.id);
  await grantPayments(t, user, institution, { perPayment: "50.00", dailyAmount: "200.00", dailyCount: 10 });
  return { user, account: (await payableAccount(t, user, institution)).id };
}

async function start(user: TestUser, institution: string, account: string) {
  const response = await createIntent(t, user.app, { fromAccountId: account, payee: payees[institution], amount: "12.00", reference: "Concert tickets" });
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data.createPaymentIntent.decision).toBe("APPROVED");
  return response.body.data.createPaymentIntent;
}

const ORDER = ["REQUIRES_CONFIRMATION", "CONFIRMED", "SUBMITTED", "PENDING", "SETTLED", "RETURNED"];
const atBank = (institution: string) => t.mocks.bank(institution).payments.paymentsOf("alice");

describe.each(BANKS)("a payment at the mock $institution, to $payee", ({ institution }) => {
  it("timeout after the bank accepted, every status webhook sent twice: the retry finds the same payment; it settles, each status once", async () => {
    const { user, account } = await payer(institution);
    const bank = t.mocks.bank(institution);
    const before = atBank(institution).length;
    await bank.setFaults({ paymentTimeoutsAfterAccept: 1, paymentStepMs: 30, paymentStatusWebhooks: "duplicated" });
    const payment = await start(user, institution, account);
    const submitted = await t.gateway.services.payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    expect(["SUBMITTED", "PENDING", "SETTLED"]).toContain(submitted.status);
    expect(atBank(institution).length).toBe(before + 1);
    await until("the payment settles at the gateway", async () => (await readPayment(t, user.app, payment.id)).status === "SETTLED");
    await t.mocks.events.idle(institution);
    const statuses = (await readPayment(t, user.app, payment.id)).statusHistory.map((h) => h.status);
    expect(statuses[0]).toBe("REQUIRES_CONFIRMATION");
    expect(statuses.at(-1)).toBe("SETTLED");
    expect(new Set(statuses).size).toBe(statuses.length);
    // The app was told each change once, in order.
    expect((await toldStatuses(t, user.app, payment.id)).map((s) => s.status)).toEqual(statuses);
    await bank.setFaults({ paymentTimeoutsAfterAccept: 0, paymentStatusWebhooks: "in_order" });
  }, 60_000);

  it("status webhooks out of order never move it back; RETURNED after SETTLED is recorded", async () => {
    const { user, account } = await payer(institution);
    const bank = t.mocks.bank(institution);
    await bank.setFaults({ paymentStepMs: 30, paymentStatusWebhooks: "out_of_order", paymentOutcome: "return" });
    const payment = await start(user, institution, account);
    await t.gateway.services.payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    await until("the payment is returned at the gateway", async () => (await readPayment(t, user.app, payment.id)).status === "RETURNED");
    await t.mocks.events.idle(institution);
    const read = await readPayment(t, user.app, payment.id);
    const ranks = read.statusHistory.map((h) => ORDER.indexOf(h.status));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(read.statusHistory.map((h) => h.status)).toEqual(expect.arrayContaining(["SETTLED", "RETURNED"]));
    expect(read.status).toBe("RETURNED");
    await bank.setFaults({ paymentStatusWebhooks: "in_order", paymentOutcome: "settle" });
  }, 60_000);

  it("the bank accepted and its status webhooks arrived before the gateway knew its payment id: nothing moved then, and nothing is lost — the poller asks under the same key", async () => {
    const { user, account } = await payer(institution);
    const bank = t.mocks.bank(institution);
    const before = atBank(institution).length;
    await bank.setFaults({ paymentTimeoutsAfterAccept: 1, paymentStepMs: 30 });
    const payment = await start(user, institution, account);
    const confirming = t.gateway.services.payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    // The bank has it and settles it; its webhooks (SUBMITTED … SETTLED) are answered by the gateway while it still waits for the bank's answer.
    await until("the bank settled it", () => atBank(institution).length === before + 1 && atBank(institution).at(-1)!.status === "settled");
    await t.mocks.events.idle(institution);
    // Nor do the gateway's retries get an answer.
    await bank.setFaults({ failNext: 3 });
    expect((await confirming).status).toBe("CONFIRMED");
    expect((await readPayment(t, user.app, payment.id)).status).toBe("CONFIRMED");

    (t.clock as ManualClock).advance((QUIET_SECONDS + 1) * 1000);
    expect(await t.gateway.services.paymentStatusPolls.sweep()).toBeGreaterThanOrEqual(1);
    const read = await readPayment(t, user.app, payment.id);
    expect(read.status).toBe("SETTLED");
    expect(read.statusHistory.at(-1)).toMatchObject({ status: "SETTLED", source: "BANK" });
    expect(atBank(institution).length).toBe(before + 1);
    expect((await toldStatuses(t, user.app, payment.id)).map((s) => s.status)).toEqual(["REQUIRES_CONFIRMATION", "CONFIRMED", "SETTLED"]);
    await bank.setFaults({ paymentTimeoutsAfterAccept: 0 });
  }, 60_000);
});
