/**
 * The payment status machine (src/payments/payment-status.ts) and the decision (payment-decision.ts),
 * pure: whatever order, age or repetition bank notifications arrive in, a status never moves back
 * and a final one never moves; the limits and velocity rule decide exactly as documented.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PaymentDeclineReason, PaymentStatus } from "../../../src/domain/payment.js";
import { decidePayment, VELOCITY_MAX_ATTEMPTS } from "../../../src/payments/payment-decision.js";
import { bankNotificationApplies, canMove, effectivePaymentStatus, isFinal, STATUS_OF_BANK_STATE } from "../../../src/payments/payment-status.js";
import type { BankPaymentState } from "../../../src/providers/payment-rail.js";

const FORWARD = [PaymentStatus.CONFIRMED, PaymentStatus.SUBMITTED, PaymentStatus.PENDING, PaymentStatus.SETTLED, PaymentStatus.RETURNED];
const BANK_STATES: BankPaymentState[] = ["SUBMITTED", "PENDING", "SETTLED", "FAILED", "RETURNED", "CANCELLED"];

describe("payment statuses", () => {
  it("never move backwards along CONFIRMED → SUBMITTED → PENDING → SETTLED → RETURNED, and final ones never move", () => {
    for (const [i, from] of FORWARD.entries()) for (const to of FORWARD.slice(0, i + 1)) expect(canMove(from, to), `${from} → ${to}`).toBe(false);
    for (const status of Object.values(PaymentStatus))
      if (isFinal(status)) for (const to of Object.values(PaymentStatus)) expect(canMove(status, to)).toBe(false);
    expect(canMove(PaymentStatus.SETTLED, PaymentStatus.RETURNED)).toBe(true);
    expect(canMove(PaymentStatus.SETTLED, PaymentStatus.FAILED)).toBe(false);
  });

  it("any sequence of bank notifications, late, duplicated or out of order, only ever moves forward", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ state: fc.constantFrom(...BANK_STATES), at: fc.integer({ min: 0, max: 100 }) }), { maxLength: 30 }), (notes) => {
        let current = { status: PaymentStatus.CONFIRMED, bankAsOf: null as Date | null };
        const seen: PaymentStatus[] = [current.status];
        for (const note of notes) {
          const to = STATUS_OF_BANK_STATE[note.state];
          const asOf = new Date(note.at * 1000);
          if (bankNotificationApplies(current, to, asOf)) {
            expect(canMove(current.status, to)).toBe(true);
            expect(current.bankAsOf === null || asOf >= current.bankAsOf).toBe(true);
            current = { status: to, bankAsOf: asOf };
            seen.push(to);
          }
        }
        // Never the same status twice: no step back, no repeat.
        expect(new Set(seen).size).toBe(seen.length);
      }),
    );
  });

  it("awaiting confirmation past its deadline reads EXPIRED", () => {
    const intent = { status: PaymentStatus.REQUIRES_CONFIRMATION, confirmExpiresAt: new Date(1000) };
    expect(effectivePaymentStatus(intent, new Date(999))).toBe(PaymentStatus.REQUIRES_CONFIRMATION);
    expect(effectivePaymentStatus(intent, new Date(1000))).toBe(PaymentStatus.EXPIRED);
    expect(effectivePaymentStatus({ ...intent, status: PaymentStatus.CONFIRMED }, new Date(5000))).toBe(PaymentStatus.CONFIRMED);
  });
});

describe("decidePayment", () => {
  const limits = { currency: "USD", perPaymentMinor: 5000n, dailyAmountMinor: 10000n, dailyCount: 3, accountIds: ["a"], endsAt: null };
  const usage = { amountMinor: 0n, count: 0, recentAttempts: 0 };
  const facts = { limits, usage, amountMinor: 1000n, feeMinor: null, availableMinor: null };

  it("approves within every limit and declines at each edge", () => {
    expect(decidePayment(facts)).toBeNull();
    expect(decidePayment({ ...facts, amountMinor: 5000n })).toBeNull();
    expect(decidePayment({ ...facts, amountMinor: 5001n })).toBe(PaymentDeclineReason.LIMIT_REACHED);
    expect(decidePayment({ ...facts, usage: { ...usage, amountMinor: 9000n } })).toBeNull();
    expect(decidePayment({ ...facts, usage: { ...usage, amountMinor: 9001n } })).toBe(PaymentDeclineReason.LIMIT_REACHED);
    expect(decidePayment({ ...facts, usage: { ...usage, count: 2 } })).toBeNull();
    expect(decidePayment({ ...facts, usage: { ...usage, count: 3 } })).toBe(PaymentDeclineReason.LIMIT_REACHED);
    expect(decidePayment({ ...facts, availableMinor: 1000n })).toBeNull();
    expect(decidePayment({ ...facts, availableMinor: 999n })).toBe(PaymentDeclineReason.INSUFFICIENT_FUNDS);
    expect(decidePayment({ ...facts, availableMinor: 1000n, feeMinor: 1n })).toBe(PaymentDeclineReason.INSUFFICIENT_FUNDS);
    expect(decidePayment({ ...facts, usage: { ...usage, recentAttempts: VELOCITY_MAX_ATTEMPTS - 1 } })).toBeNull();
    expect(decidePayment({ ...facts, usage: { ...usage, recentAttempts: VELOCITY_MAX_ATTEMPTS } })).toBe(PaymentDeclineReason.RISK);
  });
});
