/**
 * A consent as data: what it grants (scopes, purpose, history window), its states and the events
 * of its lifecycle. The rules that move a consent between states live in
 * `src/consent/lifecycle.ts`; this file is what the store, the schema and realtime share.
 */

/** The scopes that read data (see the table in design.md), in canonical order. */
export const READ_SCOPES = ["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read", "alerts:read"] as const;

/**
 * The one scope that moves money (issue 16): an app may start payments from the link's accounts,
 * each confirmed by the person on their own device, within limits the person chose (stored with
 * the consent, `PaymentLimits` in src/domain/payment.ts). Never granted without those limits, and
 * shown apart from the read scopes on the disclosure page.
 */
export const PAYMENTS_WRITE = "payments:write";

/**
 * Every scope a consent can grant, per link and per client. This order is the canonical order:
 * consents store their scopes sorted this way.
 */
export const SCOPES = [...READ_SCOPES, PAYMENTS_WRITE] as const;

/** One scope. */
export type Scope = (typeof SCOPES)[number];

/** The purposes a consent may state; closed on purpose (why: `src/consent/purposes.ts`). */
export enum ConsentPurpose {
  ACCOUNT_OVERVIEW = "ACCOUNT_OVERVIEW",
  TRANSACTION_NOTIFICATIONS = "TRANSACTION_NOTIFICATIONS",
  RECEIPTS_AND_SHIPPING = "RECEIPTS_AND_SHIPPING",
  FRAUD_PROTECTION = "FRAUD_PROTECTION",
  PERSONAL_FINANCE_MANAGEMENT = "PERSONAL_FINANCE_MANAGEMENT",
  PAYMENTS_SUPPORT = "PAYMENTS_SUPPORT",
}

/** Stored and effective consent states. */
export enum ConsentStatus {
  AWAITING_AUTHORIZATION = "AWAITING_AUTHORIZATION",
  AUTHORIZED = "AUTHORIZED",
  REJECTED = "REJECTED",
  REVOKED = "REVOKED",
  EXPIRED = "EXPIRED",
}

/** Who caused a lifecycle change. */
export enum ConsentActor {
  USER = "USER",
  CLIENT = "CLIENT",
  SYSTEM = "SYSTEM",
}

/** What a consent event records. */
export enum ConsentEventType {
  REQUESTED = "REQUESTED",
  AUTHORIZED = "AUTHORIZED",
  REJECTED = "REJECTED",
  REVOKED = "REVOKED",
  EXPIRED = "EXPIRED",
  /** The person extended an AUTHORIZED consent: same id, scopes, purpose and accounts; a new expiresAt. */
  RENEWED = "RENEWED",
}

/**
 * A consent as stored. `status` is the stored state; ask `effectiveStatus`
 * (`src/consent/lifecycle.ts`) what holds now.
 */
export interface Consent {
  id: string;
  userId: string;
  clientId: string;
  linkId: string;
  /** Requested (and, once authorized, granted) scopes, canonical order, no duplicates. */
  scopes: Scope[];
  purpose: ConsentPurpose;
  status: ConsentStatus;
  /** How many days back transactions may be read; null = what the bank offers. */
  historyDays: number | null;
  durationDays: number;
  requestedAt: Date;
  authorizedAt: Date | null;
  /** authorizedAt + durationDays; null until authorized. */
  expiresAt: Date | null;
  /** When the user authorized or rejected. */
  decidedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: ConsentActor | null;
}

/** A lifecycle change as recorded in `consent_events`. */
export interface ConsentChange {
  type: ConsentEventType;
  actor: ConsentActor;
  at: Date;
  detail: Record<string, unknown>;
}
