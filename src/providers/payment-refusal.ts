/**
 * How a payment rail (payment-rail.ts) reports the two ways a submission can fail. A bank that
 * refused the payment outright — it recorded nothing — throws {@link PaymentRefused} with the
 * reason in Bankgraph's terms, read from the bank's own error code in the bank's folder. A bank
 * that may have taken the payment without the gateway hearing so (a timeout after it accepted, a
 * dropped connection, a 5xx) throws the plain `ProviderError` of the HTTP client; such a
 * submission is {@link isRetryableSubmission}: sent again with the same idempotency key, the
 * bank answers the payment it made, or makes it once.
 */
import { BankCallFailure } from "./bank-call-failure.js";
import { ProviderError } from "./provider-error.js";

/** Why a bank refused a payment. */
export type PaymentRefusalReason =
  /** The account's available balance does not cover it. */
  | "INSUFFICIENT_FUNDS"
  /** The idempotency key was already used for a different payment. */
  | "IDEMPOTENCY_KEY_REUSED"
  /** The person's grant at the bank does not include sending payments. */
  | "NOT_PERMITTED"
  /** The account to pay from is not one the grant covers (or not the person's). */
  | "UNKNOWN_ACCOUNT"
  /** The payee is not one the person registered. */
  | "UNKNOWN_PAYEE"
  /** No such payment for this person (status of a payment). */
  | "UNKNOWN_PAYMENT"
  /** The bank found the request malformed (amount, reference, payee address). */
  | "INVALID";

/** A payment the bank refused outright: nothing was recorded at the bank. */
export class PaymentRefused extends ProviderError {
  constructor(
    readonly reason: PaymentRefusalReason,
    institutionId: string,
    institutionName: string,
    internalDetail: string,
  ) {
    super("UPSTREAM_ERROR", institutionId, institutionName, `${reason}: ${internalDetail}`);
    this.name = "PaymentRefused";
  }
}

/**
 * Whether a failed submission may be sent again with the same idempotency key: the bank may have
 * taken it (timeout, dropped connection, 5xx, an unreadable answer) or asked to slow down. Never
 * for a {@link PaymentRefused} or an expired login.
 */
export function isRetryableSubmission(error: unknown): boolean {
  if (!(error instanceof ProviderError) || error instanceof PaymentRefused) return false;
  switch (error.failure) {
    case "TIMEOUT":
    case "DOWN":
    case "RATE_LIMITED":
    case "BAD_RESPONSE":
      return true;
    case "UPSTREAM_ERROR":
      return error instanceof BankCallFailure && error.traits.transient;
    case "LOGIN_REQUIRED":
      return false;
  }
}
