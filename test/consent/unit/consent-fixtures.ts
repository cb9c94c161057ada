/**
 * Consents for the unit tests of the decision, the view, the recorder and the gate: plain domain
 * objects, no store. `consent({...})` is an AUTHORIZED consent for 90 days unless told otherwise.
 */
import type { EffectiveConsent } from "../../../src/consent/consent-service.js";
import { ConsentActor, ConsentPurpose, ConsentStatus, type Consent, type Scope } from "../../../src/domain/consent.js";

export const DAY = 86_400_000;
export const T0 = new Date("2026-03-15T12:00:00.000Z");

export function consent(overrides: Partial<Consent> = {}): Consent {
  const authorizedAt = overrides.authorizedAt ?? new Date(T0.getTime() - DAY);
  return {
    id: "00000000-0000-4000-8000-000000000001",
    userId: "user-1",
    clientId: "app-1",
    linkId: "00000000-0000-4000-8000-00000000000a",
    scopes: ["accounts:read", "transactions:read"] as Scope[],
    purpose: ConsentPurpose.ACCOUNT_OVERVIEW,
    status: ConsentStatus.AUTHORIZED,
    historyDays: null,
    durationDays: 90,
    requestedAt: new Date(authorizedAt.getTime() - 60_000),
    authorizedAt,
    expiresAt: new Date(authorizedAt.getTime() + 90 * DAY),
    decidedAt: authorizedAt,
    revokedAt: null,
    revokedBy: overrides.status === ConsentStatus.REVOKED ? ConsentActor.USER : null,
    ...overrides,
  };
}

/** What ConsentService.effectiveConsents says about the consent's link. */
export function effective(c: Consent): EffectiveConsent {
  return { consent: c, status: c.status, scopes: new Set(c.status === ConsentStatus.AUTHORIZED ? c.scopes : []) };
}
