/**
 * The payment lifecycle's sweeps (issue 16): expiry as an event, and the status poller — over
 * GraphQL on real HTTP/WebSocket, the embedded store, U.S. Bank's mock over real HTTP with real
 * OAuth. The sweeps' timers are off in the harness (PAYMENT_SWEEP_MS=0): each test runs a sweep itself, the way
 * any instance's timer would, and moves the gateway's clock instead of waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, MINUTE_MS, type ManualClock } from "../../src/clock.js";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { BANK_SCOPES, startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { PAYMENT_BANKS, paymentSession, railAt } from "../support/payment-banks.js";
import { until } from "../support/webhook-receiver.js";
import { SETUP_TIMEOUT_MS } from "../consent/consent-harness.js";
import { closeClient, collect, subscribersReady, wsClient } from "../realtime/realtime-support.js";
import { createIntent, grantPayments, payableAccount, readPayment, shownDetailsSha256, toldStatuses } from "./payment-support.js";

const US_BANK = PAYMENT_BANKS.find((b) => b.module.id === "us_bank")!;
const QUIET_SECONDS = 120;
let t: TestGateway;
let payeeId: string;

beforeAll(async () => {
  // No head check (the safety net for lost hints): a live delivery here proves its hint was sent.
  t = await startTestGateway({ mocks: { banks: ["us_bank"] }, env: { PAYMENT_STATUS_QUIET_SECONDS: String(QUIET_SECONDS), EVENT_HEAD_CHECK_MS: "0" } });
  const [payee] = await railAt(t.mocks, US_BANK).listPayees(await paymentSession(t.mocks, US_BANK));
  payeeId = payee!.payeeId;
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await t?.close();
});

const clock = () => t.clock as ManualClock;
const bank = () => t.mocks.bank("us_bank");

async function payer(dailyCount = 5): Promise<{ user: TestUser; account: string }> {
  const user = await t.newUser("lifecycle", []);
  const outcome = await t.linkAtBank(user.userId, "us_bank", { scopes: [...BANK_SCOPES, "payments:write"] });
  if (outcome.status !== "LINKED") throw new Error(outcome.error);
  user.links["us_bank"] = encodeGlobalId("Link", outcome.link.id);
  await grantPayments(t, user, "us_bank", { perPayment: "50.00", dailyAmount: "100.00", dailyCount });
  return { user, account: (await payableAccount(t, user, "us_bank")).id };
}

async function intent(user: TestUser, account: string) {
  const response = await createIntent(t, user.app, { fromAccountId: account, payee: { payeeId }, amount: "15.00" });
  expect(response.body.errors).toBeUndefined();
  return response.body.data.createPaymentIntent;
}

describe("expiry as an event", () => {
  it("an intent not confirmed in time reads EXPIRED at once; the sweep stores it (SYSTEM), tells the app once, and its share of the limits is free", async () => {
    const { user, account } = await payer(1);
    const client = wsClient(t.gateway, user.app);
    const live = collect(client, `subscription { paymentStatusChanged { status reason payment { id status } } }`);
    await subscribersReady(t.gateway, user.userId);
    const first = await intent(user, account);
    expect(first.status).toBe("REQUIRES_CONFIRMATION");
    expect((await live.nth(1)).data).toMatchObject({ paymentStatusChanged: { status: "REQUIRES_CONFIRMATION" } });
    // The one payment a day the limits allow is held by the first intent.
    expect((await intent(user, account)).declineReason).toBe("LIMIT_REACHED");
    expect((await live.nth(2)).data).toMatchObject({ paymentStatusChanged: { status: "DECLINED" } });

    clock().advance(11 * MINUTE_MS);
    // Before any sweep: read as EXPIRED, the confirmation URL gone, nothing announced yet.
    const derived = await t.gql(`query($id: ID!) { payment(id: $id) { status confirmationUrl } }`, { id: first.id }, user.app);
    expect(derived.body.data.payment).toEqual({ status: "EXPIRED", confirmationUrl: null });
    expect((await toldStatuses(t, user.app, first.id)).map((s) => s.status)).toEqual(["REQUIRES_CONFIRMATION"]);

    expect(await t.gateway.services.paymentExpiry.sweep()).toBeGreaterThanOrEqual(1);
    expect((await live.nth(3)).data).toEqual({
      paymentStatusChanged: { status: "EXPIRED", reason: "NOT_CONFIRMED_IN_TIME", payment: { id: first.id, status: "EXPIRED" } },
    });
    const stored = await readPayment(t, user.app, first.id);
    expect(stored.statusHistory.at(-1)).toEqual({ status: "EXPIRED", reason: "NOT_CONFIRMED_IN_TIME", source: "SYSTEM" });
    // A second sweep (this instance or another) finds nothing: expired and announced exactly once.
    await t.gateway.services.paymentExpiry.sweep();
    expect(await toldStatuses(t, user.app, first.id)).toEqual([
      { status: "REQUIRES_CONFIRMATION", reason: null },
      { status: "EXPIRED", reason: "NOT_CONFIRMED_IN_TIME" },
    ]);
    expect((await readPayment(t, user.app, first.id)).statusHistory.filter((h) => h.status === "EXPIRED")).toHaveLength(1);
    // Its share of the day's limits is free again.
    expect((await intent(user, account)).status).toBe("REQUIRES_CONFIRMATION");
    await closeClient(client, t.gateway, user.userId);
  });

  it("an intent confirmed before its deadline is never expired by a later sweep", async () => {
    const { user, account } = await payer();
    await bank().setFaults({ paymentStepMs: 60_000 });
    const payment = await intent(user, account);
    await t.gateway.services.payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    clock().advance(11 * MINUTE_MS);
    await t.gateway.services.paymentExpiry.sweep();
    expect((await readPayment(t, user.app, payment.id)).status).toBe("SUBMITTED");
    await bank().setFaults({ paymentStepMs: 2_000 });
  });
});

describe("the status poller", () => {
  it("a payment left without news is asked about after the quiet interval, not before, and moves forward through applyBankStatus", async () => {
    const { user, account } = await payer();
    // No webhook target: the bank's status notifications never arrive.
    await bank().setFaults({ paymentStepMs: 30 });
    const payment = await intent(user, account);
    const submitted = await t.gateway.services.payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    expect(submitted.status).toBe("SUBMITTED");
    const atBank = bank()
      .payments.paymentsOf("alice")
      .find((p) => p.id === submitted.bankPaymentId)!;
    await until("the bank settled it", () => bank().payments.get("alice", atBank.id)?.status === "settled");

    clock().advance((QUIET_SECONDS - 5) * 1000);
    await t.gateway.services.paymentStatusPolls.sweep();
    expect((await readPayment(t, user.app, payment.id)).status).toBe("SUBMITTED");

    clock().advance(10_000);
    expect(await t.gateway.services.paymentStatusPolls.sweep()).toBeGreaterThanOrEqual(1);
    const read = await readPayment(t, user.app, payment.id);
    expect(read.status).toBe("SETTLED");
    expect(read.statusHistory.at(-1)).toMatchObject({ status: "SETTLED", source: "BANK" });
    expect((await toldStatuses(t, user.app, payment.id)).map((s) => s.status)).toEqual(["REQUIRES_CONFIRMATION", "CONFIRMED", "SUBMITTED", "SETTLED"]);
    // Settled is final for the poller: it is not asked about again.
    clock().advance(QUIET_SECONDS * 1000 * 2);
    await t.gateway.services.paymentStatusPolls.sweep();
    expect((await toldStatuses(t, user.app, payment.id)).length).toBe(4);
    await bank().setFaults({ paymentStepMs: 2_000 });
  });

  it("a payment no submission attempt reached stays CONFIRMED; the poller submits it under the same key: one payment at the bank", async () => {
    const { user, account } = await payer();
    await bank().setFaults({ paymentStepMs: 30 });
    const before = bank().payments.paymentsOf("alice").length;
    const payment = await intent(user, account);
    await bank().setFaults({ failNext: 4 });
    const unanswered = await t.gateway.services.payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    expect(unanswered.status).toBe("CONFIRMED");
    expect(bank().payments.paymentsOf("alice").length).toBe(before);

    clock().advance((QUIET_SECONDS + 1) * 1000);
    await t.gateway.services.paymentStatusPolls.sweep();
    const after = await readPayment(t, user.app, payment.id);
    expect(["SUBMITTED", "PENDING", "SETTLED"]).toContain(after.status);
    expect(bank().payments.paymentsOf("alice").length).toBe(before + 1);
    // Asked again later, it is asked under the same key: still one payment.
    await until("the bank settled it", () => bank().payments.paymentsOf("alice").at(-1)?.status === "settled");
    clock().advance((QUIET_SECONDS + 1) * 1000);
    await t.gateway.services.paymentStatusPolls.sweep();
    expect((await readPayment(t, user.app, payment.id)).status).toBe("SETTLED");
    expect(bank().payments.paymentsOf("alice").length).toBe(before + 1);
    await bank().setFaults({ paymentStepMs: 2_000 });
  });
});

// Last in the file: it moves the clock past every consent granted above.
describe("a payment consent that lapses", () => {
  it("two apps' payment consents on one link lapse in one sweep: each app is told its awaiting payment was CANCELLED", async () => {
    const { user, account } = await payer();
    const other = "lapse-second-app";
    await t.registerApp(other);
    const otherApp = await t.token(user.userId, { client: other });
    await grantPayments(t, { ...user, app: otherApp, consents: {} }, "us_bank", { perPayment: "50.00", dailyAmount: "100.00", dailyCount: 5 });
    const otherAccount = (await payableAccount(t, { ...user, app: otherApp }, "us_bank")).id;
    const mine = await intent(user, account);
    const response = await createIntent(t, otherApp, { fromAccountId: otherAccount, payee: { payeeId }, amount: "15.00" });
    expect(response.body.errors).toBeUndefined();
    const theirs = response.body.data.createPaymentIntent;

    const clients = [wsClient(t.gateway, user.app), wsClient(t.gateway, otherApp)];
    const [myLive, theirLive] = clients.map((client) => collect(client, `subscription { paymentStatusChanged { status reason payment { id } } }`));
    await subscribersReady(t.gateway, user.userId, 2);
    clock().advance(91 * DAY_MS);
    await t.gateway.services.realtime.consentExpiry.sweep();

    expect((await myLive!.nth(1)).data).toEqual({ paymentStatusChanged: { status: "CANCELLED", reason: "CONSENT_EXPIRED", payment: { id: mine.id } } });
    expect((await theirLive!.nth(1)).data).toEqual({ paymentStatusChanged: { status: "CANCELLED", reason: "CONSENT_EXPIRED", payment: { id: theirs.id } } });
    await clients[1]!.dispose();
    await closeClient(clients[0]!, t.gateway, user.userId);
  });
});
