/**
 * PayPal's payout item statuses (`transaction_status`) in Bankgraph's terms, and its refusals
 * (the error `name`, or the first detail's `issue` where it says more) as refusal reasons.
 */
import type { BankPaymentState, BankPaymentStatus } from "../../domain/bank-payment.js";
import { moneyFromDecimal } from "../../domain/money.js";
import type { PaymentRefusalReason } from "../payment-refusal.js";
import type { PayoutItem, PayPalError } from "./payment-wire.js";

/**
 * transaction_status → state. UNCLAIMED (no PayPal account yet) and ONHOLD (under review) are
 * still moving; BLOCKED and DENIED are final failures; REFUNDED and REVERSED send the money back.
 * An unknown status reads as PENDING (not final).
 */
export const PAYPAL_PAYMENT_STATES: Readonly<Record<string, BankPaymentState>> = {
  PENDING: "SUBMITTED",
  PROCESSING: "PENDING",
  UNCLAIMED: "PENDING",
  ONHOLD: "PENDING",
  SUCCESS: "SETTLED",
  FAILED: "FAILED",
  BLOCKED: "FAILED",
  DENIED: "FAILED",
  RETURNED: "RETURNED",
  REFUNDED: "RETURNED",
  REVERSED: "RETURNED",
  CANCELED: "CANCELLED",
};

/** Error name or issue → why the payment was refused (NOT_AUTHORIZED is the guard's: the grant has no payouts scope). */
export const PAYPAL_REFUSALS: Readonly<Record<string, PaymentRefusalReason>> = {
  INSUFFICIENT_FUNDS: "INSUFFICIENT_FUNDS",
  DUPLICATE_REQUEST_ID: "IDEMPOTENCY_KEY_REUSED",
  FUNDING_SOURCE_NOT_FOUND: "UNKNOWN_ACCOUNT",
  NOT_AUTHORIZED: "NOT_PERMITTED",
  RESOURCE_NOT_FOUND: "UNKNOWN_PAYMENT",
  INVALID_REQUEST: "INVALID",
  VALIDATION_ERROR: "INVALID",
};

/** The refusal's reason: the issue where PayPal names one we know, else the error's name. */
export function refusalOf(error: PayPalError): PaymentRefusalReason {
  const issue = error.details?.[0]?.issue;
  return (issue ? PAYPAL_REFUSALS[issue] : undefined) ?? PAYPAL_REFUSALS[error.name] ?? "INVALID";
}

/** A payout item in Bankgraph's terms. */
export function toStatus(wire: PayoutItem): BankPaymentStatus {
  const fee = wire.payout_item_fee;
  return {
    bankPaymentId: wire.payout_item_id,
    state: PAYPAL_PAYMENT_STATES[wire.transaction_status] ?? "PENDING",
    bankCode: wire.transaction_status,
    reason: wire.errors?.message ?? null,
    asOf: new Date(wire.time_processed),
    fee: fee ? moneyFromDecimal(fee.value, fee.currency_code) : null,
  };
}
