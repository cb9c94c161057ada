/**
 * The limits a person sets on `payments:write` (issue 16), validated. An app
 * proposes them (requestConsent, createConnectSession); the person may only lower them
 * ({@link lowerLimits}); a consent granting `payments:write` never exists without them, and a
 * consent without that scope never carries any. Pure, except {@link payableAccounts}, which reads
 * the link's shared accounts in the consent's transaction.
 */
import { LinkSharedAccountRepository } from "../store/link-shared-account-repository.js";
import type { Queryable } from "../store/database.js";
import { PAYMENTS_WRITE, type Scope } from "../domain/consent.js";
import { minorFromDecimal, moneyFromMinor } from "../domain/money.js";
import { describeLimits, type PaymentLimits } from "../domain/payment.js";
import { badInput } from "../errors.js";

/** What an app proposes (amounts as decimal strings). */
export interface PaymentLimitsInput {
  currency: string;
  perPayment: string;
  dailyAmount: string;
  dailyCount: number;
  /** When paying ends; absent = when the consent ends. */
  endsAt?: Date | null;
}

/** Most payments any rolling 24 hours may hold. */
export const MAX_DAILY_COUNT = 100;
/** Largest amount a limit may name, in minor units (one billion in a two-decimal currency). */
const MAX_MINOR = 100_000_000_000n;

function amount(value: string, currency: string, field: string): bigint {
  let minor: bigint;
  try {
    minor = minorFromDecimal(value, currency);
  } catch {
    throw badInput(`paymentLimits.${field} must be a positive decimal amount in ${currency}, e.g. "50.00"`, { field: `paymentLimits.${field}` });
  }
  if (minor <= 0n || minor > MAX_MINOR) throw badInput(`paymentLimits.${field} must be above zero and at most ${moneyFromMinor(MAX_MINOR, currency).amount}`);
  return minor;
}

/**
 * Validates proposed limits: a 3-letter currency, positive amounts with the currency's decimals,
 * per payment ≤ per day, a count of 1–100, an end in the future. BAD_USER_INPUT naming the field.
 */
export function parsePaymentLimits(input: PaymentLimitsInput, now: Date): PaymentLimits {
  const currency = typeof input.currency === "string" ? input.currency.toUpperCase() : "";
  if (!/^[A-Z]{3}$/.test(currency)) throw badInput("paymentLimits.currency must be an ISO 4217 code such as USD", { field: "paymentLimits.currency" });
  const perPaymentMinor = amount(input.perPayment, currency, "perPayment");
  const dailyAmountMinor = amount(input.dailyAmount, currency, "dailyAmount");
  if (perPaymentMinor > dailyAmountMinor)
    throw badInput("paymentLimits.perPayment cannot be above paymentLimits.dailyAmount", { field: "paymentLimits.perPayment" });
  if (!Number.isInteger(input.dailyCount) || input.dailyCount < 1 || input.dailyCount > MAX_DAILY_COUNT) {
    throw badInput(`paymentLimits.dailyCount must be a whole number from 1 to ${MAX_DAILY_COUNT}`, { field: "paymentLimits.dailyCount" });
  }
  const endsAt = input.endsAt ?? null;
  if (endsAt !== null && !(endsAt instanceof Date && endsAt.getTime() > now.getTime())) {
    throw badInput("paymentLimits.endsAt must be in the future", { field: "paymentLimits.endsAt" });
  }
  return { currency, perPaymentMinor, dailyAmountMinor, dailyCount: input.dailyCount, accountIds: null, endsAt };
}

/**
 * Limits and scopes go together: `payments:write` needs limits (PAYMENT_LIMITS_REQUIRED), limits
 * need `payments:write` (PAYMENT_LIMITS_WITHOUT_SCOPE). Returns the parsed limits or null.
 */
export function limitsForScopes(scopes: readonly Scope[], input: PaymentLimitsInput | null | undefined, now: Date): PaymentLimits | null {
  const paying = scopes.includes(PAYMENTS_WRITE);
  if (paying && !input) {
    throw badInput(`${PAYMENTS_WRITE} needs paymentLimits: per payment, per day (amount and count) and optionally an end`, {
      reason: "PAYMENT_LIMITS_REQUIRED",
      field: "paymentLimits",
    });
  }
  if (!paying && input) {
    throw badInput(`paymentLimits apply only to ${PAYMENTS_WRITE}; ask for that scope or leave them out`, {
      reason: "PAYMENT_LIMITS_WITHOUT_SCOPE",
      field: "paymentLimits",
    });
  }
  return input ? parsePaymentLimits(input, now) : null;
}

/**
 * The person's choice on the disclosure page applied to what the app proposed: each limit may only
 * go down (or the end come sooner); anything higher is refused (PAYMENT_LIMIT_RAISED).
 */
export function lowerLimits(proposed: PaymentLimits, chosen: PaymentLimits): PaymentLimits {
  const raised =
    chosen.currency !== proposed.currency ||
    chosen.perPaymentMinor > proposed.perPaymentMinor ||
    chosen.dailyAmountMinor > proposed.dailyAmountMinor ||
    chosen.dailyCount > proposed.dailyCount ||
    (proposed.endsAt !== null && (chosen.endsAt === null || chosen.endsAt.getTime() > proposed.endsAt.getTime()));
  if (raised) throw badInput("Payment limits can only be lowered from what the app asked for", { reason: "PAYMENT_LIMIT_RAISED" });
  return { ...chosen, accountIds: proposed.accountIds };
}

/** Account types money may leave from (cards pay bills, they do not send money). */
const PAYABLE_TYPES: ReadonlySet<string> = new Set(["CHECKING", "SAVINGS", "WALLET"]);

/**
 * The accounts a new `payments:write` consent allows payments from: those the person shared at the
 * bank for this link (CHECKING, SAVINGS, WALLET), fixed when the consent is requested — for a
 * connect session, the moment the person came back from the bank. Accounts shared later are not
 * added by themselves.
 */
export async function payableAccounts(tx: Queryable, linkId: string): Promise<string[]> {
  const shared = await new LinkSharedAccountRepository(tx).forLink(linkId);
  return shared.filter((a) => PAYABLE_TYPES.has(a.type)).map((a) => a.accountId);
}

/** Limits as a request's input again (a connect session's chosen limits, when the consent is created). */
export function limitsAsInput(limits: PaymentLimits): PaymentLimitsInput {
  const json = describeLimits(limits);
  return { ...json, endsAt: limits.endsAt };
}
