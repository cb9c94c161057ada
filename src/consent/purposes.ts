/**
 * Why a client may read a user's data. The list is closed on purpose: a purpose the user can
 * understand in one line, for a messaging app. The CFPB's personal financial data rights rule
 * (12 CFR 1033) bars third parties from using the data for targeted advertising, cross-selling
 * and selling it on, so those are refused by name with their own error code.
 */
import { ConsentPurpose, type Scope } from "../domain/consent.js";
import { ErrorCode, GatewayError, badInput } from "../errors.js";

/** Purposes refused outright (CFPB 1033). */
export const FORBIDDEN_PURPOSES = ["ADVERTISING", "MARKETING", "DATA_RESALE"] as const;

const ALLOWED: ReadonlySet<string> = new Set(Object.values(ConsentPurpose));
const FORBIDDEN: ReadonlySet<string> = new Set(FORBIDDEN_PURPOSES);

/** True when `value` is exactly one of {@link ConsentPurpose}. */
export function isConsentPurpose(value: unknown): value is ConsentPurpose {
  return typeof value === "string" && ALLOWED.has(value);
}

/** "data resale", "Data-Resale" and "DATA_RESALE" are one purpose: nobody slips past by spelling. */
function normalize(requested: string): string {
  return requested
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");
}

/**
 * Turns a requested purpose into a {@link ConsentPurpose}.
 * Throws PURPOSE_FORBIDDEN for advertising, marketing and data resale, BAD_USER_INPUT for
 * anything else unknown (the message lists the allowed purposes).
 */
export function parsePurpose(requested: string): ConsentPurpose {
  const purpose = normalize(requested);
  if (FORBIDDEN.has(purpose)) {
    throw new GatewayError(
      ErrorCode.PURPOSE_FORBIDDEN,
      `Purpose ${purpose} is not allowed: the CFPB 1033 rule forbids using consumer financial data ` + "for advertising, marketing or resale",
      { reason: "PURPOSE_FORBIDDEN", purpose },
    );
  }
  if (!isConsentPurpose(purpose)) {
    throw badInput(`Unknown purpose "${requested}". Allowed purposes: ${Object.values(ConsentPurpose).join(", ")}`);
  }
  return purpose;
}

/**
 * The one table of which scopes each purpose may carry: a consent never asks for more than its
 * purpose needs (e.g. fraud protection never carries identity). `accounts:read` is in every row:
 * without it no account appears at all. Only PAYMENTS_SUPPORT may carry `payments:write`.
 */
export const SCOPES_BY_PURPOSE: Readonly<Record<ConsentPurpose, readonly Scope[]>> = {
  [ConsentPurpose.ACCOUNT_OVERVIEW]: ["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read", "alerts:read"],
  [ConsentPurpose.TRANSACTION_NOTIFICATIONS]: ["accounts:read", "balances:read", "transactions:read", "alerts:read"],
  [ConsentPurpose.RECEIPTS_AND_SHIPPING]: ["accounts:read", "transactions:read", "receipts:read"],
  [ConsentPurpose.FRAUD_PROTECTION]: ["accounts:read", "transactions:read", "alerts:read"],
  [ConsentPurpose.PERSONAL_FINANCE_MANAGEMENT]: ["accounts:read", "balances:read", "transactions:read", "receipts:read"],
  // payments:write only here: a (client, link) has one live consent, so sending money sits with the
  // reads a payments app needs beside it (which account, its balance, whose it is). It is still asked
  // for by name, with limits, and shown apart on the disclosure page (src/consent/payment-limits.ts).
  [ConsentPurpose.PAYMENTS_SUPPORT]: ["accounts:read", "balances:read", "identity:read", "payments:write"],
};

/**
 * Throws BAD_USER_INPUT (reason SCOPE_BEYOND_PURPOSE, naming the scopes) when `scopes` holds one
 * that `purpose` may not carry ({@link SCOPES_BY_PURPOSE}).
 */
export function assertScopesFitPurpose(purpose: ConsentPurpose, scopes: readonly Scope[]): void {
  const allowed = SCOPES_BY_PURPOSE[purpose];
  const beyond = scopes.filter((s) => !allowed.includes(s));
  if (beyond.length > 0) {
    throw badInput(`Purpose ${purpose} may not carry ${beyond.join(", ")}; it may carry: ${allowed.join(", ")}`, {
      reason: "SCOPE_BEYOND_PURPOSE",
      purpose,
      scopes: beyond,
    });
  }
}
