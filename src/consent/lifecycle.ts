/**
 * The consent state machine, pure (no I/O): UK Open Banking / FDX shaped.
 *
 *   request ──▶ AWAITING_AUTHORIZATION ──user──▶ AUTHORIZED ──user|client|system──▶ REVOKED
 *                 │        │                        │
 *                 │        └──user──▶ REJECTED      ├──clock: expiresAt <= now──▶ EXPIRED
 *                 │                                 └──user: renew──▶ AUTHORIZED (new expiresAt)
 *                 ├──user|client|system──▶ REVOKED (a request withdrawn, or its link removed)
 *                 └──clock: unanswered for AUTHORIZATION_WINDOW_DAYS──▶ EXPIRED
 *
 * Expiry is not an event anyone has to deliver: {@link effectiveStatus} derives it from the clock
 * on every read, so an expired consent grants nothing even if the sweeper never ran. The sweeper
 * (`ConsentService.expireDue`) only makes the stored status and the event history catch up.
 */
import { z } from "zod";
import { DAY_MS } from "../clock.js";
import { ErrorCode, GatewayError, badInput } from "../errors.js";
import { ConsentActor, ConsentEventType, ConsentStatus, type Consent, type ConsentChange, type ConsentPurpose, type Scope } from "../domain/consent.js";
import type { PaymentLimitsInput } from "./payment-limits.js";
import { parsePurpose } from "./purposes.js";
import { parseScopes } from "./scopes.js";

/**
 * A change someone asks for (expiry is asked for by the sweeper only). RENEW extends an AUTHORIZED,
 * unexpired consent by its own duration from now; an EXPIRED one cannot be renewed, because the
 * person must see the disclosure again (a new consent) once sharing has ended.
 */
export type ConsentAction = "AUTHORIZE" | "REJECT" | "REVOKE" | "EXPIRE" | "RENEW";

/** Longest consent: one year (CFPB 1033 re-authorization period). */
export const MAX_DURATION_DAYS = 365;
/** Longest history window a consent may open: ten years. */
export const MAX_HISTORY_DAYS = 3650;
/** A request nobody answers lapses after this many days, so stale requests can't be approved by surprise. */
export const AUTHORIZATION_WINDOW_DAYS = 7;

/** What a client asks for, before validation. */
export interface ConsentRequestInput {
  userId: string;
  clientId: string;
  linkId: string;
  scopes: readonly string[];
  purpose: string;
  durationDays: number;
  historyDays?: number | null;
  /** Required with payments:write, refused without it (src/consent/payment-limits.ts). */
  paymentLimits?: PaymentLimitsInput | null;
}

/** A request that passed {@link validateConsentRequest}. */
export interface ValidConsentRequest {
  userId: string;
  clientId: string;
  linkId: string;
  scopes: Scope[];
  purpose: ConsentPurpose;
  durationDays: number;
  historyDays: number | null;
}

const requestShape = z.object({
  userId: z.string().min(1, "userId is required"),
  clientId: z.string().min(1, "clientId is required"),
  linkId: z.string().min(1, "linkId is required"),
  scopes: z.array(z.string()),
  purpose: z.string(),
  durationDays: z
    .number()
    .int(`durationDays must be a whole number from 1 to ${MAX_DURATION_DAYS}`)
    .min(1, `durationDays must be a whole number from 1 to ${MAX_DURATION_DAYS}`)
    .max(MAX_DURATION_DAYS, `durationDays must be a whole number from 1 to ${MAX_DURATION_DAYS}`),
  historyDays: z
    .number()
    .int(`historyDays must be a whole number from 1 to ${MAX_HISTORY_DAYS}`)
    .min(1, `historyDays must be a whole number from 1 to ${MAX_HISTORY_DAYS}`)
    .max(MAX_HISTORY_DAYS, `historyDays must be a whole number from 1 to ${MAX_HISTORY_DAYS}`)
    .nullish(),
});

/**
 * Validates a consent request. Throws BAD_USER_INPUT (shape, ranges, unknown scopes or purposes)
 * or PURPOSE_FORBIDDEN (advertising, marketing, resale).
 */
export function validateConsentRequest(input: ConsentRequestInput): ValidConsentRequest {
  const parsed = requestShape.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badInput(issue.message, { field: issue.path.join(".") });
  }
  const { historyDays, ...rest } = parsed.data;
  return {
    ...rest,
    scopes: parseScopes(rest.scopes),
    purpose: parsePurpose(rest.purpose),
    historyDays: historyDays ?? null,
  };
}

/** A new consent in AWAITING_AUTHORIZATION, requested at `now`. */
export function newConsent(request: ValidConsentRequest, id: string, now: Date): Consent {
  return {
    id,
    ...request,
    status: ConsentStatus.AWAITING_AUTHORIZATION,
    requestedAt: now,
    authorizedAt: null,
    expiresAt: null,
    decidedAt: null,
    revokedAt: null,
    revokedBy: null,
  };
}

/** When an unanswered request lapses. */
export function authorizationDeadline(consent: Pick<Consent, "requestedAt">): Date {
  return new Date(consent.requestedAt.getTime() + AUTHORIZATION_WINDOW_DAYS * DAY_MS);
}

/**
 * The status that holds at `now`: EXPIRED once an AUTHORIZED consent reaches `expiresAt`
 * (the boundary instant itself is expired) or an AWAITING one reaches its authorization deadline;
 * the stored status otherwise.
 */
export function effectiveStatus(consent: Pick<Consent, "status" | "requestedAt" | "expiresAt">, now: Date): ConsentStatus {
  const t = now.getTime();
  if (consent.status === ConsentStatus.AUTHORIZED) {
    return consent.expiresAt === null || consent.expiresAt.getTime() <= t ? ConsentStatus.EXPIRED : consent.status;
  }
  if (consent.status === ConsentStatus.AWAITING_AUTHORIZATION && authorizationDeadline(consent).getTime() <= t) {
    return ConsentStatus.EXPIRED;
  }
  return consent.status;
}

const RULES: Record<ConsentAction, { actors: readonly ConsentActor[]; from: readonly ConsentStatus[] }> = {
  AUTHORIZE: { actors: [ConsentActor.USER], from: [ConsentStatus.AWAITING_AUTHORIZATION] },
  REJECT: { actors: [ConsentActor.USER], from: [ConsentStatus.AWAITING_AUTHORIZATION] },
  REVOKE: {
    actors: [ConsentActor.USER, ConsentActor.CLIENT, ConsentActor.SYSTEM],
    from: [ConsentStatus.AWAITING_AUTHORIZATION, ConsentStatus.AUTHORIZED],
  },
  EXPIRE: { actors: [ConsentActor.SYSTEM], from: [ConsentStatus.EXPIRED] },
  RENEW: { actors: [ConsentActor.USER], from: [ConsentStatus.AUTHORIZED] },
};

const VERB: Record<ConsentAction, string> = {
  AUTHORIZE: "authorize",
  REJECT: "reject",
  REVOKE: "revoke",
  EXPIRE: "expire",
  RENEW: "renew",
};

function refuse(message: string, reason: string, consent: Consent, status: ConsentStatus): GatewayError {
  return new GatewayError(ErrorCode.CONSENT_INVALID, message, { reason, consentId: consent.id, status });
}

/**
 * Applies `action` by `actor` at `now`. Returns the updated consent and the event to record, or
 * throws CONSENT_INVALID (reason ACTOR_NOT_ALLOWED or ILLEGAL_TRANSITION) with the effective status.
 * `detail` is merged into the event's detail.
 */
export function transition(
  consent: Consent,
  action: ConsentAction,
  actor: ConsentActor,
  now: Date,
  detail: Record<string, unknown> = {},
): { consent: Consent; change: ConsentChange } {
  const current = effectiveStatus(consent, now);
  const rule = RULES[action];
  if (!rule.actors.includes(actor)) {
    const who = rule.actors.map((a) => a.toLowerCase()).join(" or ");
    throw refuse(`Only the ${who} can ${VERB[action]} a consent`, "ACTOR_NOT_ALLOWED", consent, current);
  }
  // EXPIRE persists what the clock already says, so the stored status must still be behind.
  const stale = action === "EXPIRE" && consent.status === ConsentStatus.EXPIRED;
  if (!rule.from.includes(current) || stale) {
    throw refuse(`Cannot ${VERB[action]} a consent that is ${current}`, "ILLEGAL_TRANSITION", consent, current);
  }
  switch (action) {
    case "AUTHORIZE": {
      const expiresAt = new Date(now.getTime() + consent.durationDays * DAY_MS);
      const next = { ...consent, status: ConsentStatus.AUTHORIZED, authorizedAt: now, decidedAt: now, expiresAt };
      const event = { expiresAt: expiresAt.toISOString(), ...detail };
      return { consent: next, change: change(ConsentEventType.AUTHORIZED, actor, now, event) };
    }
    case "REJECT":
      return {
        consent: { ...consent, status: ConsentStatus.REJECTED, decidedAt: now },
        change: change(ConsentEventType.REJECTED, actor, now, detail),
      };
    case "REVOKE":
      return {
        consent: { ...consent, status: ConsentStatus.REVOKED, revokedAt: now, revokedBy: actor },
        change: change(ConsentEventType.REVOKED, actor, now, { previousStatus: current, ...detail }),
      };
    case "EXPIRE": {
      const lapsedAt = consent.expiresAt ?? authorizationDeadline(consent);
      const event = { previousStatus: consent.status, lapsedAt: lapsedAt.toISOString(), ...detail };
      return {
        consent: { ...consent, status: ConsentStatus.EXPIRED },
        change: change(ConsentEventType.EXPIRED, actor, now, event),
      };
    }
    case "RENEW": {
      const expiresAt = new Date(now.getTime() + consent.durationDays * DAY_MS);
      const event = { previousExpiresAt: consent.expiresAt?.toISOString() ?? null, expiresAt: expiresAt.toISOString(), ...detail };
      return { consent: { ...consent, expiresAt }, change: change(ConsentEventType.RENEWED, actor, now, event) };
    }
  }
}

function change(type: ConsentEventType, actor: ConsentActor, at: Date, detail: Record<string, unknown>): ConsentChange {
  return { type, actor, at, detail };
}
