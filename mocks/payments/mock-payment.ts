/**
 * The mock banks' canonical payment: one model every bank keeps in its {@link PaymentBook} and
 * renders in its own wire format (its `payments.ts`) and its own status webhook (its `events.ts`).
 * Amounts are integer minor units, positive.
 */

/** Where a payment is in its life, in the mocks' own words (each bank has its own codes for them). */
export type MockPaymentStatus = "submitted" | "pending" | "settled" | "failed" | "returned" | "cancelled";

/** Whom it pays: a payee the customer registered at the bank (Zelle-like), or an email / phone (PayPal). */
export type MockPaymentPayee = { kind: "registered"; payeeId: string } | { kind: "email"; email: string } | { kind: "phone"; phone: string };

/** One status the payment took, when, and why (FAILED, RETURNED). */
export interface MockPaymentStep {
  status: MockPaymentStatus;
  at: Date;
  reason: string | null;
}

export interface MockPayment extends MockPaymentOrder {
  /** The bank's payment ID (a UUID: unique across runs). */
  id: string;
  status: MockPaymentStatus;
  reason: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** Every status so far, oldest first. */
  history: MockPaymentStep[];
  /** The account transaction that debits it: held (pending) from submission, posted when it settles. */
  transactionId: string;
}

/** What a customer asks the bank to pay (already checked against the customer's accounts and payees). */
export interface MockPaymentOrder {
  customerId: string;
  accountId: string;
  payee: MockPaymentPayee;
  payeeName: string;
  amountMinor: number;
  currency: string;
  reference: string;
  feeMinor: number;
}

/** A copy of the payment as it stood at one moment (webhooks render copies: a later step must not change an earlier body). */
export function snapshotOf(payment: MockPayment): MockPayment {
  return { ...payment, payee: { ...payment.payee }, history: payment.history.map((step) => ({ ...step })) };
}
