/**
 * The contract a bank adapter implements to send money (issue 16): the seam between Bankgraph's
 * payment intents (`src/payments/`) and each bank's own payment API. Like `contract.ts`, adapters
 * only translate — wire format ↔ these types, and the bank's status codes ↔ {@link BankPaymentState}
 * (the table lives in the bank's folder, `src/providers/<bank>/payments.ts`). They do not check
 * consent, limits or idempotency of Bankgraph's own mutations, and they never retry a submission.
 */
import type { BankSession } from "./contract.js";
import type { BankPaymentStatus } from "../domain/bank-payment.js";
import type { Money } from "../domain/money.js";

/** Whom the money goes to, as the bank knows it. */
export type PaymentPayee =
  /** A payee the person registered at the bank (Chase, U.S. Bank: Zelle-like). */
  | { kind: "REGISTERED_PAYEE"; payeeId: string }
  /** PayPal: send to an email address. */
  | { kind: "EMAIL"; email: string }
  /** PayPal: send to a phone number, E.164. */
  | { kind: "PHONE"; phone: string };

/** One payment, as Bankgraph submits it after the person confirmed it. */
export interface PaymentSubmission {
  /** Bankgraph's payment id, sent as the bank's own idempotency key (a retry never pays twice). */
  idempotencyKey: string;
  /** The bank's account id to pay from. */
  fromAccountId: string;
  payee: PaymentPayee;
  /** Positive. */
  amount: Money;
  /** Shown to the payee; at most 140 characters. */
  reference: string;
}

// The status a bank reports is also what its payment webhooks carry (a domain event), so it lives in the domain.
export type { BankPaymentState, BankPaymentStatus } from "../domain/bank-payment.js";

/** A payee registered at the bank. */
export interface RegisteredPayee {
  payeeId: string;
  displayName: string;
  /** Where the money lands, masked (e.g. "••••4321" or "j•••@example.com"). */
  maskedDestination: string;
}

export interface PaymentRail {
  /** Payees the person registered at the bank; empty where the bank pays addresses instead (PayPal). */
  listPayees(session: BankSession): Promise<RegisteredPayee[]>;
  /** What the bank charges for this payment, before it is sent; null where it does not say. */
  quoteFee(session: BankSession, fromAccountId: string, amount: Money): Promise<Money | null>;
  /**
   * Sends the payment. The same `idempotencyKey` sent again answers the same payment (its current
   * status), never a second one. Throws a ProviderError when the bank refuses it outright.
   */
  submit(session: BankSession, submission: PaymentSubmission): Promise<BankPaymentStatus>;
  /** Current status, read from the bank. */
  status(session: BankSession, bankPaymentId: string): Promise<BankPaymentStatus>;
}
