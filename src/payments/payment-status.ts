/**
 * The payment status machine, pure (no I/O):
 *
 *   REQUIRES_CONFIRMATION ──person──▶ CONFIRMED ──bank──▶ SUBMITTED ──▶ PENDING ──▶ SETTLED ──▶ RETURNED
 *        │  │  └──clock──▶ EXPIRED          │                 │            │
 *        │  └──app|person|revocation──▶ CANCELLED             └──bank──▶ FAILED | CANCELLED
 *   (DECLINED: the gateway's decision at creation; final)
 *
 * A status only moves forward: a bank notification that is late (its asOf before the one already
 * applied) or that names an earlier status (PENDING after SETTLED) changes nothing, and a
 * duplicate changes nothing either. Expiry is derived from the clock on every read
 * ({@link effectivePaymentStatus}), so an unconfirmed intent past its time is EXPIRED whatever the
 * store says.
 */
import { PaymentStatus, type PaymentIntent } from "../domain/payment.js";
import type { BankPaymentState } from "../providers/payment-rail.js";

const S = PaymentStatus;

/** Where each status may go next. */
const NEXT: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  [S.REQUIRES_CONFIRMATION]: [S.CONFIRMED, S.CANCELLED, S.EXPIRED],
  [S.CONFIRMED]: [S.SUBMITTED, S.PENDING, S.SETTLED, S.FAILED, S.CANCELLED],
  [S.SUBMITTED]: [S.PENDING, S.SETTLED, S.FAILED, S.CANCELLED, S.RETURNED],
  [S.PENDING]: [S.SETTLED, S.FAILED, S.CANCELLED, S.RETURNED],
  [S.SETTLED]: [S.RETURNED],
  [S.RETURNED]: [],
  [S.DECLINED]: [],
  [S.EXPIRED]: [],
  [S.CANCELLED]: [],
  [S.FAILED]: [],
};

/** True when `from` may move to `to` (never to itself, never backwards). */
export function canMove(from: PaymentStatus, to: PaymentStatus): boolean {
  return NEXT[from].includes(to);
}

/** True when nothing can change the status any more. */
export function isFinal(status: PaymentStatus): boolean {
  return NEXT[status].length === 0;
}

/** Statuses in which the app (or the person) may still cancel: nothing has gone to the bank. */
export function isCancellable(status: PaymentStatus): boolean {
  return status === S.REQUIRES_CONFIRMATION;
}

/** The status that holds at `now`: an intent still awaiting confirmation at its deadline is EXPIRED. */
export function effectivePaymentStatus(intent: Pick<PaymentIntent, "status" | "confirmExpiresAt">, now: Date): PaymentStatus {
  return intent.status === S.REQUIRES_CONFIRMATION && intent.confirmExpiresAt.getTime() <= now.getTime() ? S.EXPIRED : intent.status;
}

/** A bank's status in Bankgraph's terms → the payment status it means. */
export const STATUS_OF_BANK_STATE: Readonly<Record<BankPaymentState, PaymentStatus>> = {
  SUBMITTED: S.SUBMITTED,
  PENDING: S.PENDING,
  SETTLED: S.SETTLED,
  FAILED: S.FAILED,
  RETURNED: S.RETURNED,
  CANCELLED: S.CANCELLED,
};

/**
 * Whether a bank notification moves the intent: only forward, and only when it is not older than
 * the bank status already applied (`bankAsOf`).
 */
export function bankNotificationApplies(intent: Pick<PaymentIntent, "status" | "bankAsOf">, to: PaymentStatus, asOf: Date): boolean {
  if (intent.bankAsOf && asOf.getTime() < intent.bankAsOf.getTime()) return false;
  return canMove(intent.status, to);
}
