/**
 * Payment intents end to end (issue 16): GraphQL over real HTTP, the real embedded store, alice
 * linked at the mock Chase through its own OAuth pages with its payment permission, payments sent
 * through Chase's adapter. The person's confirmation is driven through the payment service's own
 * boundary (`confirmAndSubmit`), as the confirmation page calls it (the page itself:
 * test/web/payment-confirm.test.ts); bank notifications through `applyBankStatus`, as the webhook
 * intake does (its own test: payment-mock-bank.test.ts).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minorFromDecimal } from "../../src/domain/money.js";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { BANK_SCOPES, startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { PAYMENT_BANKS, paymentSession, railAt } from "../support/payment-banks.js";
import { SETUP_TIMEOUT_MS } from "../consent/consent-harness.js";
import { createIntent, grantPayments, listPayments, payableAccount, shownDetailsSha256 } from "./payment-support.js";
import { closeClient, collect, subscribersReady, wsClient } from "../realtime/realtime-support.js";

const CHASE = PAYMENT_BANKS.find((b) => b.module.id === "chase")!;
let t: TestGateway;
/** A payee alice registered at Chase. */
let mom: string;

beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["chase"] } });
  const [payee] = await railAt(t.mocks, CHASE).listPayees(await paymentSession(t.mocks, CHASE));
  mom = payee!.payeeId;
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await t?.close();
});

/** Payments alice's Chase has made (every test user here is alice at the bank). */
const bankPayments = () => t.mocks.bank("chase").payments.paymentsOf("alice");

const LIMITS = { perPayment: "50.00", dailyAmount: "100.00", dailyCount: 3 };

/** A person linked at Chase (with the bank's payment permission unless told otherwise) and a payments:write consent. */
async function payer(limits = LIMITS, atBank: { payments: boolean } = { payments: true }): Promise<{ user: TestUser; account: string }> {
  const user = await t.newUser("payer", []);
  const outcome = await t.linkAtBank(user.userId, "chase", { scopes: atBank.payments ? [...BANK_SCOPES, "payments:write"] : BANK_SCOPES });
  if (outcome.status !== "LINKED") throw new Error(outcome.error);
  user.links["chase"] = encodeGlobalId("Link", outcome.link.id);
  await grantPayments(t, user, "chase", limits);
  return { user, account: (await payableAccount(t, user, "chase")).id };
}

describe("the payments:write consent", () => {
  it("needs limits and the PAYMENTS_SUPPORT purpose; carries the person's limits and payable accounts", async () => {
    const user = await t.newUser("consent", ["chase"]);
    const ask = (input: Record<string, unknown>) =>
      t.gql(
        `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id } }`,
        { input: { linkId: user.links["chase"], durationDays: 30, ...input } },
        user.app,
      );
    const noLimits = await ask({ scopes: ["accounts:read", "payments:write"], purpose: "PAYMENTS_SUPPORT" });
    expect(noLimits.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "PAYMENT_LIMITS_REQUIRED" });
    const limits = { currency: "USD", perPayment: "10.00", dailyAmount: "20.00", dailyCount: 2 };
    const wrongPurpose = await ask({ scopes: ["accounts:read", "payments:write"], purpose: "ACCOUNT_OVERVIEW", paymentLimits: limits });
    expect(wrongPurpose.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "SCOPE_BEYOND_PURPOSE" });
    const inverted = await ask({ scopes: ["accounts:read", "payments:write"], purpose: "PAYMENTS_SUPPORT", paymentLimits: { ...limits, perPayment: "30.00" } });
    expect(inverted.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "paymentLimits.perPayment" });
    const readOnly = await ask({ scopes: ["accounts:read"], purpose: "PAYMENTS_SUPPORT", paymentLimits: limits });
    expect(readOnly.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", reason: "PAYMENT_LIMITS_WITHOUT_SCOPE" });

    await grantPayments(t, user, "chase", LIMITS);
    const account = (await payableAccount(t, user, "chase")).id;
    const read = await t.gql(
      `{ consents(status: [AUTHORIZED]) { paymentLimits { perPayment { amount currency } dailyAmount { amount } dailyCount fromAccountIds endsAt } } }`,
      {},
      user.app,
    );
    const [consent] = read.body.data.consents;
    expect(consent.paymentLimits).toMatchObject({
      perPayment: { amount: "50.00", currency: "USD" },
      dailyAmount: { amount: "100.00" },
      dailyCount: 3,
      endsAt: null,
    });
    expect(consent.paymentLimits.fromAccountIds).toContain(account);
  });
});

describe("createPaymentIntent", () => {
  it("approves within the limits: REQUIRES_CONFIRMATION, a confirmation URL on the gateway that expires in minutes, on the access log", async () => {
    const { user, account } = await payer();
    const response = await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, amount: "12.50" });
    expect(response.body.errors).toBeUndefined();
    const payment = response.body.data.createPaymentIntent;
    expect(payment).toMatchObject({ status: "REQUIRES_CONFIRMATION", decision: "APPROVED", declineReason: null, amount: { amount: "12.50", currency: "USD" } });
    expect(payment.confirmationUrl).toBe(`${t.gateway.publicUrl}/payments/${payment.id}/confirm`);
    const minutes = (Date.parse(payment.confirmationExpiresAt) - t.clock.now().getTime()) / 60_000;
    expect(minutes).toBeCloseTo(10, 1);
    expect(payment.statusHistory).toEqual([{ status: "REQUIRES_CONFIRMATION", reason: null, source: "APP" }]);
    const log = await t.gql(`{ accessLog(first: 50) { nodes { scope operationName } } }`, {}, user.user);
    expect(log.body.data.accessLog.nodes).toContainEqual({ scope: "payments:write", operationName: "Pay" });
  });

  it("the same key sent twice at once makes one intent; both answers name it", async () => {
    const { user, account } = await payer();
    const key = randomUUID();
    const answers = await Promise.all([1, 2, 3].map(() => createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, idempotencyKey: key })));
    const ids = answers.filter((a) => !a.body.errors).map((a) => a.body.data.createPaymentIntent.id);
    const inProgress = answers.filter((a) => a.body.errors?.[0]?.extensions?.["code"] === "IDEMPOTENCY_IN_PROGRESS");
    expect(ids.length + inProgress.length).toBe(3);
    expect(new Set(ids).size).toBe(1);
    expect(await listPayments(t, user.app)).toHaveLength(1);
    // Once done, the same key answers the same payment, re-read as it is now.
    const again = await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, idempotencyKey: key });
    expect(again.body.data.createPaymentIntent.id).toBe((await listPayments(t, user.app))[0]!.id);
  });

  it("the same key with other input is IDEMPOTENCY_KEY_REUSED, and nothing more is stored", async () => {
    const { user, account } = await payer();
    const key = randomUUID();
    expect(
      (await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, idempotencyKey: key, amount: "5.00" })).body.errors,
    ).toBeUndefined();
    const reused = await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, idempotencyKey: key, amount: "6.00" });
    expect(reused.body.errors?.[0]?.extensions?.["code"]).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(await listPayments(t, user.app)).toHaveLength(1);
  });

  it("declines over the per-payment amount, the daily amount and the daily count (LIMIT_REACHED), and over the funds (INSUFFICIENT_FUNDS)", async () => {
    const { user, account } = await payer();
    const over = await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, amount: "50.01" });
    expect(over.body.data.createPaymentIntent).toMatchObject({
      status: "DECLINED",
      decision: "DECLINED",
      declineReason: "LIMIT_REACHED",
      confirmationUrl: null,
    });
    for (const amount of ["40.00", "40.00"])
      expect((await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, amount })).body.data.createPaymentIntent.decision).toBe(
        "APPROVED",
      );
    expect(
      (await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, amount: "20.01" })).body.data.createPaymentIntent.declineReason,
    ).toBe("LIMIT_REACHED");
    expect((await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, amount: "1.00" })).body.data.createPaymentIntent.decision).toBe(
      "APPROVED",
    );
    expect(
      (await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, amount: "1.00" })).body.data.createPaymentIntent.declineReason,
    ).toBe("LIMIT_REACHED");

    const rich = await payer({ perPayment: "100000000.00", dailyAmount: "100000000.00", dailyCount: 5 });
    const { available } = await payableAccount(t, rich.user, "chase");
    const beyond = (minorFromDecimal(available!, "USD") + 100n).toString();
    const poor = await createIntent(t, rich.user.app, {
      payee: { payeeId: mom },
      fromAccountId: rich.account,
      amount: `${beyond.slice(0, -2)}.${beyond.slice(-2)}`,
    });
    expect(poor.body.data.createPaymentIntent.declineReason).toBe("INSUFFICIENT_FUNDS");
  });

  it("declines the 11th intent within a minute as RISK (velocity), whatever the limits", async () => {
    const { user, account } = await payer({ perPayment: "5.00", dailyAmount: "500.00", dailyCount: 100 });
    for (let i = 0; i < 10; i++)
      expect(
        (await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, amount: "1.00" })).body.data.createPaymentIntent.decision,
      ).toBe("APPROVED");
    expect(
      (await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, amount: "1.00" })).body.data.createPaymentIntent.declineReason,
    ).toBe("RISK");
  });

  it("refuses with PAYMENT_NOT_ALLOWED, storing nothing and calling no bank payment: no payments:write, revoked, another person's account, a payee not theirs", async () => {
    const calls = bankPayments().length;
    const reader = await t.newUser("reader", ["chase"]);
    await t.grant(reader, "chase", ["accounts:read", "balances:read"]);
    const readerAccount = (await payableAccount(t, reader, "chase")).id;
    const noScope = await createIntent(t, reader.app, { payee: { payeeId: mom }, fromAccountId: readerAccount });
    expect(noScope.body.errors?.[0]?.extensions).toMatchObject({ code: "PAYMENT_NOT_ALLOWED", decision: "DECLINED", reason: "CONSENT_MISSING" });
    expect(await listPayments(t, reader.app)).toEqual([]);

    const { user, account } = await payer();
    const revoked = await t.newUser("revoked", ["chase"]);
    const consent = await grantPayments(t, revoked, "chase", LIMITS);
    const revokedAccount = (await payableAccount(t, revoked, "chase")).id;
    await t.gql(`mutation($id: ID!) { revokeConsent(id: $id) { id } }`, { id: consent }, revoked.user);
    const afterRevoke = await createIntent(t, revoked.app, { payee: { payeeId: mom }, fromAccountId: revokedAccount });
    expect(afterRevoke.body.errors?.[0]?.extensions).toMatchObject({ code: "PAYMENT_NOT_ALLOWED", reason: "CONSENT_MISSING" });
    expect(await listPayments(t, revoked.app)).toEqual([]);

    const foreign = await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: revokedAccount });
    expect(foreign.body.errors?.[0]?.extensions).toMatchObject({ code: "PAYMENT_NOT_ALLOWED", reason: "ACCOUNT_NOT_ALLOWED" });
    const forged = await createIntent(t, user.app, { fromAccountId: "not-an-account" });
    expect(forged.body.errors?.[0]?.extensions).toMatchObject({ code: "PAYMENT_NOT_ALLOWED", reason: "ACCOUNT_NOT_ALLOWED" });
    const strangersPayee = await createIntent(t, user.app, { fromAccountId: account, payee: { payeeId: "payee-of-someone-else" } });
    expect(strangersPayee.body.errors?.[0]?.extensions).toMatchObject({ code: "PAYMENT_NOT_ALLOWED", reason: "PAYEE_NOT_FOUND" });
    expect(await listPayments(t, user.app)).toEqual([]);
    expect(bankPayments().length).toBe(calls);
  });

  it("refuses bad input with BAD_USER_INPUT naming the field", async () => {
    const { user, account } = await payer();
    for (const [input, field] of [
      [{ fromAccountId: account, amount: "-1.00" }, "amount.amount"],
      [{ fromAccountId: account, amount: "1.001" }, "amount.amount"],
      [{ fromAccountId: account, payee: { payeeId: "a", email: "b@c.de" } }, "payee"],
      [{ fromAccountId: account, reference: "" }, "reference"],
      [{ fromAccountId: account, idempotencyKey: "has space" }, "idempotencyKey"],
    ] as const) {
      const response = await createIntent(t, user.app, input);
      expect(response.body.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({ code: "BAD_USER_INPUT", field });
    }
    expect(await listPayments(t, user.app)).toEqual([]);
  });
});

describe("cancelling and revoking", () => {
  it("cancelPaymentIntent cancels while it awaits the person, idempotently; a revocation cancels every intent not yet confirmed, in its transaction", async () => {
    const { user, account } = await payer();
    const first = (await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account })).body.data.createPaymentIntent;
    const key = randomUUID();
    const cancel = `mutation($id: ID!, $key: String!) { cancelPaymentIntent(id: $id, idempotencyKey: $key) { id status statusHistory { status source reason } } }`;
    const cancelled = await t.gql(cancel, { id: first.id, key }, user.app);
    expect(cancelled.body.data.cancelPaymentIntent.status).toBe("CANCELLED");
    expect((await t.gql(cancel, { id: first.id, key }, user.app)).body.data.cancelPaymentIntent.status).toBe("CANCELLED");

    const awaiting = [];
    for (let i = 0; i < 2; i++)
      awaiting.push((await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account })).body.data.createPaymentIntent.id as string);
    await t.gql(`mutation($id: ID!) { revokeConsent(id: $id) { id } }`, { id: user.consents["chase"] }, user.user);
    for (const id of awaiting) {
      const payment = await t.gql(`query($id: ID!) { payment(id: $id) { status statusHistory { status source reason } } }`, { id }, user.app);
      expect(payment.body.data.payment.status).toBe("CANCELLED");
      expect(payment.body.data.payment.statusHistory.at(-1)).toEqual({ status: "CANCELLED", source: "SYSTEM", reason: "CONSENT_REVOKED" });
    }
    const events = await t.gql(
      `{ events(kinds: [PAYMENT_STATUS_CHANGED], first: 100) { nodes { kind paymentStatusUpdate { status payment { id } } } } }`,
      {},
      user.app,
    );
    const cancelledEvents = events.body.data.events.nodes
      .filter((n: any) => n.paymentStatusUpdate.status === "CANCELLED")
      .map((n: any) => n.paymentStatusUpdate.payment.id);
    expect(cancelledEvents.sort()).toEqual([first.id, ...awaiting].sort());
  });

  it("another app or person sees none of it (NOT_FOUND)", async () => {
    const { user, account } = await payer();
    const id = (await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account })).body.data.createPaymentIntent.id;
    const stranger = await t.newUser("stranger", []);
    const answer = await t.gql(`query($id: ID!) { payment(id: $id) { id } }`, { id }, stranger.app);
    expect(answer.body.errors?.[0]?.extensions?.["code"]).toBe("NOT_FOUND");
  });
});

describe("confirmation, submission and bank statuses", () => {
  it("paymentStatusChanged tells the app each change over WebSocket, resumable with `after`", async () => {
    const { user, account } = await payer();
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, `subscription { paymentStatusChanged { status reason payment { id status } } }`);
    await subscribersReady(t.gateway, user.userId);
    const payment = (await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account })).body.data.createPaymentIntent;
    const first = await sub.nth(1);
    expect(first.data).toEqual({
      paymentStatusChanged: { status: "REQUIRES_CONFIRMATION", reason: null, payment: { id: payment.id, status: "REQUIRES_CONFIRMATION" } },
    });
    await t.gql(`mutation($id: ID!) { cancelPaymentIntent(id: $id, idempotencyKey: "k") { id } }`, { id: payment.id }, user.app);
    expect((await sub.nth(2)).data).toMatchObject({ paymentStatusChanged: { status: "CANCELLED", reason: "CANCELLED_BY_APP" } });
    const cursor = (first.extensions as { event: { cursor: string } }).event.cursor;
    const resumed = collect(client, `subscription($after: String) { paymentStatusChanged(after: $after) { status } }`, { after: cursor });
    expect((await resumed.nth(1)).data).toEqual({ paymentStatusChanged: { status: "CANCELLED" } });
    await closeClient(client, t.gateway, user.userId);
    // Another app of the same person is told nothing of it.
    await t.registerApp("other-payments-app");
    const other = await t.token(user.userId, { client: "other-payments-app" });
    const seen = await t.gql(`{ events(kinds: [PAYMENT_STATUS_CHANGED]) { nodes { eventId } } }`, {}, other);
    expect(seen.body.data.events.nodes).toEqual([]);
  });

  it("the person's confirmation submits once under the intent id, even when the bank accepted and then timed out; a changed detail voids it", async () => {
    const { user, account } = await payer();
    const payment = (await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account, amount: "20.00" })).body.data.createPaymentIntent;
    const payments = t.gateway.services.payments;
    await expect(
      payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, { ...payment, amount: { amount: "21.00", currency: "USD" } })),
    ).rejects.toMatchObject({
      code: "PAYMENT_DETAILS_CHANGED",
    });
    await expect(payments.confirmAndSubmit(payment.id, "someone-else", shownDetailsSha256(account, payment))).rejects.toMatchObject({ code: "NOT_FOUND" });

    const before = bankPayments().length;
    await t.mocks.bank("chase").setFaults({ paymentTimeoutsAfterAccept: 1 });
    const submitted = await payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    expect(["SUBMITTED", "PENDING", "SETTLED"]).toContain(submitted.status);
    expect(bankPayments().length).toBe(before + 1);
    // Confirming again (a double tap) never pays twice.
    await payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    expect(bankPayments().length).toBe(before + 1);
    const cancel = await t.gql(`mutation($id: ID!) { cancelPaymentIntent(id: $id, idempotencyKey: "c1") { id } }`, { id: payment.id }, user.app);
    expect(cancel.body.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "NOT_CANCELLABLE" });
  });

  it("a bank grant without the payment permission: refused as NOT_PERMITTED_AT_BANK, nothing stored", async () => {
    const { user, account } = await payer(LIMITS, { payments: false });
    const response = await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account });
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: "PAYMENT_NOT_ALLOWED", reason: "NOT_PERMITTED_AT_BANK", institutionId: "chase" });
    expect(await listPayments(t, user.app)).toEqual([]);
  });

  it("never moves backwards: SETTLED then a late PENDING stays SETTLED; a duplicate changes nothing; RETURNED after SETTLED is recorded", async () => {
    const { user, account } = await payer();
    const payment = (await createIntent(t, user.app, { payee: { payeeId: mom }, fromAccountId: account })).body.data.createPaymentIntent;
    const payments = t.gateway.services.payments;
    const submitted = await payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    const bankPaymentId = submitted.bankPaymentId!;
    const at = (s: number) => new Date(Date.parse("2030-01-01T00:00:00Z") + s * 1000);
    const notify = (state: "PENDING" | "SETTLED" | "RETURNED", s: number) =>
      payments.applyBankStatus("chase", {
        bankPaymentId,
        state,
        bankCode: state,
        reason: state === "RETURNED" ? "R01 insufficient funds" : null,
        asOf: at(s),
        fee: null,
      });
    expect((await notify("PENDING", 1))!.status).toBe("PENDING");
    expect((await notify("SETTLED", 3))!.status).toBe("SETTLED");
    expect((await notify("PENDING", 2))!.status).toBe("SETTLED");
    expect((await notify("PENDING", 4))!.status).toBe("SETTLED");
    expect((await notify("SETTLED", 3))!.status).toBe("SETTLED");
    expect((await notify("RETURNED", 5))!).toMatchObject({ status: "RETURNED", failureReason: "R01 insufficient funds" });
    const read = await t.gql(`query($id: ID!) { payment(id: $id) { status failureReason statusHistory { status source } } }`, { id: payment.id }, user.app);
    expect(read.body.data.payment.statusHistory.map((h: { status: string }) => h.status)).toEqual([
      "REQUIRES_CONFIRMATION",
      "CONFIRMED",
      "SUBMITTED",
      "PENDING",
      "SETTLED",
      "RETURNED",
    ]);
    const events = await t.gql(
      `{ events(kinds: [PAYMENT_STATUS_CHANGED], first: 100) { nodes { paymentStatusUpdate { status payment { status } } } } }`,
      {},
      user.app,
    );
    expect(events.body.data.events.nodes.map((n: any) => n.paymentStatusUpdate.status)).toEqual([
      "REQUIRES_CONFIRMATION",
      "CONFIRMED",
      "SUBMITTED",
      "PENDING",
      "SETTLED",
      "RETURNED",
    ]);
  });
});
