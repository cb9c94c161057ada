/**
 * A payment end to end against the real mock bank (Chase's FDX money movement, merged from the bank
 * side of issue 16): alice linked at Chase with the bank's payment permission, a payments:write
 * consent, createPaymentIntent over HTTP, the person's confirmation through the payment service's
 * boundary (the passkey page: test/web/payment-confirm.test.ts), submission through Chase's adapter — one payment at the bank
 * even when the bank times out after accepting — and the bank's signed status webhooks moving it
 * forward only, even duplicated and out of order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { BANK_SCOPES, startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { PAYMENT_BANKS, paymentSession, railAt } from "../support/payment-banks.js";
import { until } from "../support/webhook-receiver.js";
import { SETUP_TIMEOUT_MS } from "../consent/consent-harness.js";
import { grantPayments, payableAccount, shownDetailsSha256, type ShownPayment } from "./payment-support.js";

const CHASE = PAYMENT_BANKS.find((b) => b.module.id === "chase")!;
let t: TestGateway;
let payeeId: string;

beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["chase"] } });
  t.mocks.events.setWebhookTarget(`${new URL(t.gateway.url).origin}/webhooks`);
  const [payee] = await railAt(t.mocks, CHASE).listPayees(await paymentSession(t.mocks, CHASE));
  payeeId = payee!.payeeId;
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await t?.close();
});

/** alice at Chase with the bank's payment permission, and a payments:write consent for the app. */
async function payer(): Promise<{ user: TestUser; account: string }> {
  const user = await t.newUser("bank-payer", []);
  const outcome = await t.linkAtBank(user.userId, "chase", { scopes: [...BANK_SCOPES, "payments:write"] });
  if (outcome.status !== "LINKED") throw new Error(outcome.error);
  user.links["chase"] = encodeGlobalId("Link", outcome.link.id);
  await grantPayments(t, user, "chase", { perPayment: "50.00", dailyAmount: "100.00", dailyCount: 5 });
  return { user, account: (await payableAccount(t, user, "chase")).id };
}

const READ = `query($id: ID!) { payment(id: $id) { status failureReason statusHistory { status source } } }`;

async function start(user: TestUser, account: string, amount = "12.00") {
  const response = await t.gql(
    `mutation($input: CreatePaymentIntentInput!) { createPaymentIntent(input: $input) { id status decision payee { kind payeeId } amount { amount currency } reference fee { amount } } }`,
    {
      input: {
        fromAccountId: account,
        payee: { payeeId },
        amount: { amount, currency: "USD" },
        reference: "Concert tickets",
        idempotencyKey: `k-${Math.random()}`,
      },
    },
    user.app,
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data.createPaymentIntent as ShownPayment & { id: string; status: string; decision: string };
}

describe("a payment at the mock Chase", () => {
  it("the bank times out after accepting: the retry under the intent id finds it, one payment at the bank; its webhooks settle it", async () => {
    const { user, account } = await payer();
    const bank = t.mocks.bank("chase");
    const before = bank.payments.paymentsOf("alice").length;
    await bank.setFaults({ paymentTimeoutsAfterAccept: 1, paymentStepMs: 30, paymentStatusWebhooks: "duplicated" });
    const payment = await start(user, account);
    expect(payment.decision).toBe("APPROVED");
    const submitted = await t.gateway.services.payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    expect(["SUBMITTED", "PENDING", "SETTLED"]).toContain(submitted.status);
    expect(bank.payments.paymentsOf("alice").length).toBe(before + 1);
    await until("the payment settles at the gateway", async () => (await t.gql(READ, { id: payment.id }, user.app)).body.data.payment.status === "SETTLED");
    const read = await t.gql(READ, { id: payment.id }, user.app);
    const statuses = read.body.data.payment.statusHistory.map((h: { status: string }) => h.status);
    expect(statuses[0]).toBe("REQUIRES_CONFIRMATION");
    expect(statuses.at(-1)).toBe("SETTLED");
    expect(new Set(statuses).size).toBe(statuses.length);
    await bank.setFaults({ paymentTimeoutsAfterAccept: 0, paymentStatusWebhooks: "in_order" });
  }, 60_000);

  it("status webhooks out of order never move it back: a returned payment ends RETURNED, each status once, in order", async () => {
    const { user, account } = await payer();
    const bank = t.mocks.bank("chase");
    await bank.setFaults({ paymentStepMs: 30, paymentStatusWebhooks: "out_of_order", paymentOutcome: "return" });
    const payment = await start(user, account);
    await t.gateway.services.payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    await until(
      "the payment is returned at the gateway",
      async () => (await t.gql(READ, { id: payment.id }, user.app)).body.data.payment.status === "RETURNED",
    );
    await t.mocks.events.idle("chase");
    const read = await t.gql(READ, { id: payment.id }, user.app);
    const statuses: string[] = read.body.data.payment.statusHistory.map((h: { status: string }) => h.status);
    const rank = ["REQUIRES_CONFIRMATION", "CONFIRMED", "SUBMITTED", "PENDING", "SETTLED", "RETURNED"];
    expect(statuses.map((s) => rank.indexOf(s))).toEqual([...statuses.map((s) => rank.indexOf(s))].sort((a, b) => a - b));
    expect(read.body.data.payment).toMatchObject({ status: "RETURNED" });
    await bank.setFaults({ paymentStatusWebhooks: "in_order", paymentOutcome: "settle" });
  }, 60_000);
});
