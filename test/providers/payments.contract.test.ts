/**
 * The payment rail contract (issue 16) over every bank that has one, over real HTTP against the
 * mock banks with grants from real OAuth (the person at the bank's own pages): one payment per
 * idempotency key however often or concurrently it is sent, a reused key refused, funds checked,
 * the bank's payment permission required, another customer's account, payee and payment refused,
 * and a submission the bank accepted without answering found again by its key.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { moneyFromMinor } from "../../src/domain/money.js";
import type { PaymentPayee, PaymentRail, PaymentSubmission } from "../../src/providers/payment-rail.js";
import { isRetryableSubmission, PaymentRefused, type PaymentRefusalReason } from "../../src/providers/payment-refusal.js";
import { ProviderError } from "../../src/providers/provider-error.js";
import type { GrantedSession } from "../support/bank-session.js";
import { TEST_ANCHOR } from "../support/gateway.js";
import { PAYMENT_BANKS, paymentSession, railAt, type PaymentBank } from "../support/payment-banks.js";

let cluster: MockCluster;
beforeAll(async () => {
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: PAYMENT_BANKS.map((b) => b.module.id) });
});
afterAll(async () => {
  await cluster?.close();
});

/** Resolves with the refusal's reason; fails the test when the call did not throw a PaymentRefused. */
async function refusal(call: Promise<unknown>): Promise<PaymentRefusalReason> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PaymentRefused);
  return (error as PaymentRefused).reason;
}

describe.each(PAYMENT_BANKS)("$module.name payment rail", (bank: PaymentBank) => {
  const id = bank.module.id;
  const mock = () => cluster.bank(id);
  let rail: PaymentRail;
  let alice: GrantedSession;
  let payee: PaymentPayee;
  const aliceAccount = () => mock().data.accountsOf("alice")[0]!;
  const payments = () => mock().payments.paymentsOf("alice");
  const submission = (amountMinor = 1_250, key = randomUUID()): PaymentSubmission => ({
    idempotencyKey: key,
    fromAccountId: aliceAccount().id,
    payee,
    amount: moneyFromMinor(amountMinor, "USD"),
    reference: "Dinner, thanks!",
  });

  beforeAll(async () => {
    rail = railAt(cluster, bank);
    alice = await paymentSession(cluster, bank);
    payee = await bank.payee(rail, alice);
  });
  afterEach(async () => {
    await mock().resetFaults();
  });

  it("answers the same payment for the same key sent twice, and for the same key sent five times at once", async () => {
    const before = payments().length;
    const once = submission();
    const first = await rail.submit(alice, once);
    const again = await rail.submit(alice, once);
    expect(first.state).toBe("SUBMITTED");
    expect(again.bankPaymentId).toBe(first.bankPaymentId);
    expect((await rail.status(alice, first.bankPaymentId)).bankPaymentId).toBe(first.bankPaymentId);

    const concurrent = submission();
    const all = await Promise.all(Array.from({ length: 5 }, () => rail.submit(alice, concurrent)));
    expect(new Set(all.map((s) => s.bankPaymentId)).size).toBe(1);
    expect(payments().length).toBe(before + 2);
  });

  it("refuses the same key with another payment (IDEMPOTENCY_KEY_REUSED, the bank's own conflict), and a call without the key header (400)", async () => {
    const first = submission(1_000);
    await rail.submit(alice, first);
    const count = payments().length;
    expect(await refusal(rail.submit(alice, { ...first, amount: moneyFromMinor(1_001, "USD") }))).toBe("IDEMPOTENCY_KEY_REUSED");
    const raw = (amount: string, headers: Record<string, string>) =>
      fetch(cluster.urls[id] + bank.raw.path, {
        method: "POST",
        headers: { authorization: `Bearer ${alice.accessToken}`, "content-type": "application/json", ...headers },
        body: JSON.stringify(bank.raw.body(aliceAccount().id, payee, amount)),
      });
    const key = randomUUID();
    expect((await raw("10.00", { [bank.raw.header]: key })).status).toBe(201);
    expect((await raw("10.00", { [bank.raw.header]: key })).status).toBe(200);
    expect((await raw("10.01", { [bank.raw.header]: key })).status).toBe(bank.raw.conflictStatus);
    expect((await raw("10.00", {})).status).toBe(400);
    expect(payments().length).toBe(count + 1);
  });

  it("lists the person's registered payees with their destination masked (PayPal pays addresses: none)", async () => {
    const payees = await rail.listPayees(alice);
    if (payee.kind !== "REGISTERED_PAYEE") return void expect(payees).toEqual([]);
    expect(payees.map((p) => p.displayName)).toEqual(["Bob Brown", "Carol Chen", "City Power & Light"]);
    for (const p of payees) expect(p.maskedDestination).toMatch(/^(.•••@example\.com|••••\d{4})$/);
    expect(JSON.stringify(payees)).not.toContain("bob@example.com");
  });

  it("refuses a payment the available balance does not cover (INSUFFICIENT_FUNDS), recording nothing", async () => {
    const available = mock().data.balanceOf(aliceAccount().id).availableMinor!;
    const count = payments().length;
    expect(await refusal(rail.submit(alice, submission(available + 1)))).toBe("INSUFFICIENT_FUNDS");
    expect(payments().length).toBe(count);
    expect(mock().data.balanceOf(aliceAccount().id).availableMinor).toBe(available);
  });

  it("refuses a grant without the bank's payment permission (NOT_PERMITTED), and an expired token (LOGIN_REQUIRED)", async () => {
    const readOnly = await paymentSession(cluster, bank, "alice", false);
    expect(await refusal(rail.submit(readOnly, submission()))).toBe("NOT_PERMITTED");
    await expect(rail.submit({ accessToken: "not-a-token" }, submission())).rejects.toMatchObject({ failure: "LOGIN_REQUIRED" });
  });

  it("refuses another customer's account, payee and payment", async () => {
    const bob = await paymentSession(cluster, bank, "bob");
    const bobsAccount = mock().data.accountsOf("bob")[0]!.id;
    expect(await refusal(rail.submit(alice, { ...submission(), fromAccountId: bobsAccount }))).toBe("UNKNOWN_ACCOUNT");
    if (payee.kind === "REGISTERED_PAYEE") {
      const bobsPayee = await bank.payee(rail, bob);
      expect(bobsPayee).not.toEqual(payee);
      expect(await refusal(rail.submit(alice, { ...submission(), payee: bobsPayee }))).toBe("UNKNOWN_PAYEE");
    }
    const bobsPayment = await rail.submit(bob, { ...submission(), fromAccountId: bobsAccount, payee: await bank.payee(rail, bob) });
    expect(await refusal(rail.status(alice, bobsPayment.bankPaymentId))).toBe("UNKNOWN_PAYMENT");
  });

  it("times out on a payment the bank accepted without answering (retryable); the retry with the same key finds that payment", async () => {
    await mock().setFaults({ paymentTimeoutsAfterAccept: 1 });
    const quick = railAt(cluster, bank, 600);
    const sent = submission();
    const count = payments().length;
    const error = await quick.submit(alice, sent).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).failure).toBe("TIMEOUT");
    expect(isRetryableSubmission(error)).toBe(true);
    expect(payments().length).toBe(count + 1);
    // The gateway's retry: the same submission, the same key (with the usual timeout: the bank answers this time).
    const retried = await rail.submit(alice, sent);
    expect(retried.bankPaymentId).toBe(payments().at(-1)!.id);
    expect(payments().length).toBe(count + 1);
  });
});
