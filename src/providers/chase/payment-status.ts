/**
 * Chase's payment status codes (FDX PaymentStatus, plus Chase's RETURNED) in Bankgraph's terms,
 * and its payment-refusal codes (FDX error codes, mocks/chase/openapi.yaml) as refusal reasons.
 */
import type { BankPaymentState, BankPaymentStatus } from "../../domain/bank-payment.js";
import type { PaymentRefusalReason } from "../payment-refusal.js";
import type { FdxPayment } from "./payment-wire.js";

/** FDX PaymentStatus → state. NOFUNDS is FDX's failed-for-funds; an unknown code reads as PENDING (still moving, not final). */
export const CHASE_PAYMENT_STATES: Readonly<Record<string, BankPaymentState>> = {
  SCHEDULED: "SUBMITTED",
  PROCESSING: "PENDING",
  PROCESSED: "SETTLED",
  FAILED: "FAILED",
  NOFUNDS: "FAILED",
  CANCELLED: "CANCELLED",
  RETURNED: "RETURNED",
};

/** FDX error code → why the payment was refused (403 is the guard's: the consent has no PAYMENT_INITIATION). */
export const CHASE_REFUSALS: Readonly<Record<number, PaymentRefusalReason>> = {
  403: "NOT_PERMITTED",
  500: "INVALID",
  701: "UNKNOWN_ACCOUNT",
  1101: "UNKNOWN_PAYEE",
  1102: "UNKNOWN_PAYMENT",
  1103: "IDEMPOTENCY_KEY_REUSED",
  1104: "INSUFFICIENT_FUNDS",
};

/** An FDX Payment in Bankgraph's terms. */
export function toStatus(wire: FdxPayment): BankPaymentStatus {
  return {
    bankPaymentId: wire.paymentId,
    state: CHASE_PAYMENT_STATES[wire.status] ?? "PENDING",
    bankCode: wire.status,
    reason: wire.statusReason ?? null,
    asOf: new Date(wire.statusUpdatedTimestamp),
    fee: null,
  };
}
