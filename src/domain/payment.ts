/**
 * Payments as data (issue 16): the limits a person sets on `payments:write`, a payment intent and
 * its statuses. The rules that move an intent between statuses live in
 * `src/payments/payment-status.ts`; this file is what the store, the schema and realtime share.
 */

import { minorFromDecimal, moneyFromMinor } from "./money.js";

/**
 * Whom the money goes to. The same shape as the payment rail's `PaymentPayee`
 * (src/providers/payment-rail.ts; src/payments/payment-input.ts checks at compile time that they stay equal).
 */
export type PaymentPayee =
  /** A payee the person registered at the bank (Chase, U.S. Bank: Zelle-like). */
  | { kind: "REGISTERED_PAYEE"; payeeId: string }
  /** PayPal: an email address. */
  | { kind: "EMAIL"; email: string }
  /** PayPal: a phone number, E.164. */
  | { kind: "PHONE"; phone: string };

/** The limits of one consent's `payments:write`, chosen by the person. Amounts in minor units of `currency`. */
export interface PaymentLimits {
  currency: string;
  perPaymentMinor: bigint;
  /** Sum of the payments of any rolling 24 hours. */
  dailyAmountMinor: bigint;
  /** Number of payments in any rolling 24 hours. */
  dailyCount: number;
  /** The bank's ids of the accounts money may leave from; null = every account shared at the bank. */
  accountIds: string[] | null;
  /** When paying ends (never after the consent); null = when the consent ends. */
  endsAt: Date | null;
}

/**
 * Where a payment stands. REQUIRES_CONFIRMATION → CONFIRMED (the person confirmed on their device)
 * → SUBMITTED (the bank has it) → PENDING → SETTLED, with SETTLED → RETURNED; DECLINED (the
 * gateway's decision, never confirmable), EXPIRED (not confirmed in time), CANCELLED (by the app,
 * the person, a revocation, or the bank) and FAILED (the bank refused it) are final.
 */
export enum PaymentStatus {
  REQUIRES_CONFIRMATION = "REQUIRES_CONFIRMATION",
  CONFIRMED = "CONFIRMED",
  SUBMITTED = "SUBMITTED",
  PENDING = "PENDING",
  SETTLED = "SETTLED",
  RETURNED = "RETURNED",
  DECLINED = "DECLINED",
  EXPIRED = "EXPIRED",
  CANCELLED = "CANCELLED",
  FAILED = "FAILED",
}

/** Why the gateway declined an intent it stored (refusals that store nothing are errors: src/payments/payment-refusals.ts). */
export enum PaymentDeclineReason {
  /** Over the per-payment amount, or the rolling 24 h amount or count. */
  LIMIT_REACHED = "LIMIT_REACHED",
  /** The bank's available balance of the source account is below amount + fee. */
  INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS",
  /** Too many intents in a short time (velocity rule: src/payments/payment-decision.ts). */
  RISK = "RISK",
}

/** Who moved a payment. */
export type PaymentChangeSource = "APP" | "PERSON" | "BANK" | "SYSTEM";

/** One payment intent as stored; `status` is effective (EXPIRED derived from the clock on every read). */
export interface PaymentIntent {
  id: string;
  userId: string;
  clientId: string;
  consentId: string;
  linkId: string;
  institutionId: string;
  /** The bank's id of the source account. */
  fromAccountId: string;
  /** Its last four characters, for the person's pages. */
  fromAccountMask: string;
  payee: PaymentPayee;
  currency: string;
  amountMinor: bigint;
  /** What the bank said it charges, where it says. */
  feeMinor: bigint | null;
  reference: string;
  /** Hex SHA-256 of exactly what the person confirms (src/payments/payment-details.ts). */
  detailsSha256: string;
  status: PaymentStatus;
  declineReason: PaymentDeclineReason | null;
  /** FAILED or RETURNED: why, in the bank's words. */
  failureReason: string | null;
  createdAt: Date;
  /** The confirmation URL works until then. */
  confirmExpiresAt: Date;
  updatedAt: Date;
  bankPaymentId: string | null;
  bankStatusCode: string | null;
  /** The bank's asOf of the status last applied: older notifications are ignored. */
  bankAsOf: Date | null;
}

/** One entry of a payment's status history. */
export interface PaymentStatusChange {
  status: PaymentStatus;
  reason: string | null;
  source: PaymentChangeSource;
  bankCode: string | null;
  bankAsOf: Date | null;
  at: Date;
}

/** Limits as plain JSON (decimal amounts, an ISO date): how a connect session keeps them and a consent event records them. */
export interface PaymentLimitsJson {
  currency: string;
  perPayment: string;
  dailyAmount: string;
  dailyCount: number;
  endsAt: string | null;
}

/** Back from {@link describeLimits} (the account list is not part of it). */
export function limitsFromJson(json: PaymentLimitsJson): PaymentLimits {
  return {
    currency: json.currency,
    perPaymentMinor: minorFromDecimal(json.perPayment, json.currency),
    dailyAmountMinor: minorFromDecimal(json.dailyAmount, json.currency),
    dailyCount: json.dailyCount,
    accountIds: null,
    endsAt: json.endsAt === null ? null : new Date(json.endsAt),
  };
}

/** The limits as recorded on the consent's REQUESTED event (decimal amounts, ISO dates). */
export function describeLimits(limits: PaymentLimits): PaymentLimitsJson {
  return {
    currency: limits.currency,
    perPayment: moneyFromMinor(limits.perPaymentMinor, limits.currency).amount,
    dailyAmount: moneyFromMinor(limits.dailyAmountMinor, limits.currency).amount,
    dailyCount: limits.dailyCount,
    endsAt: limits.endsAt?.toISOString() ?? null,
  };
}
