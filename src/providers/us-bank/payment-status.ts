/**
 * U.S. Bank's payment statuses in Bankgraph's terms, and its refusal codes (the envelope's
 * `Status.Code`, mocks/us-bank/openapi.yaml) as refusal reasons.
 */
import type { BankPaymentState, BankPaymentStatus } from "../../domain/bank-payment.js";
import { moneyFromDecimal } from "../../domain/money.js";
import type { PaymentRefusalReason } from "../payment-refusal.js";
import type { UsBankPayment } from "./payment-wire.js";

/** PaymentStatus → state; an unknown status reads as PENDING (still moving, not final). */
export const US_BANK_PAYMENT_STATES: Readonly<Record<string, BankPaymentState>> = {
  Submitted: "SUBMITTED",
  InProcess: "PENDING",
  Completed: "SETTLED",
  Failed: "FAILED",
  Returned: "RETURNED",
  Cancelled: "CANCELLED",
};

/** Envelope code → why the payment was refused ("4030" is the guard's: the grant has no PaymentInitiation). */
export const US_BANK_REFUSALS: Readonly<Record<string, PaymentRefusalReason>> = {
  "4000": "INVALID",
  "4001": "INVALID",
  "4030": "NOT_PERMITTED",
  "4040": "UNKNOWN_ACCOUNT",
  "4041": "UNKNOWN_PAYEE",
  "4042": "UNKNOWN_PAYMENT",
  "4090": "IDEMPOTENCY_KEY_REUSED",
  "4221": "INSUFFICIENT_FUNDS",
};

/** A U.S. Bank payment in Bankgraph's terms. */
export function toStatus(wire: UsBankPayment): BankPaymentStatus {
  const currency = wire.CurrencyCode.toUpperCase();
  return {
    bankPaymentId: wire.PaymentID,
    state: US_BANK_PAYMENT_STATES[wire.PaymentStatus] ?? "PENDING",
    bankCode: wire.PaymentStatus,
    reason: wire.StatusReason ?? null,
    asOf: new Date(wire.StatusDateTime),
    fee: wire.Fee ? moneyFromDecimal(wire.Fee, currency) : null,
  };
}
