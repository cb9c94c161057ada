/**
 * A payment's status at the bank, in Bankgraph's terms (issue 16): what a bank adapter's payment
 * rail answers (src/providers/payment-rail.ts, which re-exports these) and what a bank's payment
 * status webhook carries (the PAYMENT_STATUS_CHANGED bank event). Each bank's own codes map onto
 * {@link BankPaymentState} in its provider folder.
 */
import type { Money } from "./money.js";

/** A bank's payment status in Bankgraph's terms; each bank's codes map onto these in its folder. */
export type BankPaymentState = "SUBMITTED" | "PENDING" | "SETTLED" | "FAILED" | "RETURNED" | "CANCELLED";

export interface BankPaymentStatus {
  /** The bank's payment id. */
  bankPaymentId: string;
  state: BankPaymentState;
  /** The bank's own status code, kept for the record. */
  bankCode: string;
  /** Why, in the bank's words, when FAILED or RETURNED. */
  reason: string | null;
  /** When the bank says this status took effect: orders late and duplicate notifications. */
  asOf: Date;
  /** What the bank charges for it, where it says. */
  fee: Money | null;
}
