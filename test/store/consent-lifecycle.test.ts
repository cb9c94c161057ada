import { describe, expect, it } from "vitest";
import { DAY_MS } from "../../src/clock.js";
import { ConsentActor, ConsentEventType, ConsentPurpose, ConsentStatus, SCOPES, type Consent } from "../../src/domain/consent.js";
import {
  AUTHORIZATION_WINDOW_DAYS,
  effectiveStatus,
  newConsent,
  transition,
  validateConsentRequest,
  type ConsentAction,
  type ConsentRequestInput,
} from "../../src/consent/lifecycle.js";
import { FORBIDDEN_PURPOSES, parsePurpose } from "../../src/consent/purposes.js";
import { CONSENT_MANAGE_SCOPE, isScope, parseScopes } from "../../src/consent/scopes.js";
import { ErrorCode, GatewayError } from "../../src/errors.js";

const T0 = new Date("2025-01-01T00:00:00.000Z");
const at = (days: number, ms = 0) => new Date(T0.getTime() + days * DAY_MS + ms);

const input: ConsentRequestInput = {
  userId: "u1",
  clientId: "messenger-demo",
  linkId: "6f1c9a52-8a35-4c8b-9f0e-3f1f6b0e2d11",
  scopes: ["transactions:read", "accounts:read", "accounts:read"],
  purpose: "ACCOUNT_OVERVIEW",
  durationDays: 90,
};

const awaiting = (): Consent => newConsent(validateConsentRequest(input), "c1", T0);
const authorized = (): Consent => transition(awaiting(), "AUTHORIZE", ConsentActor.USER, at(1)).consent;

function caught(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a GatewayError");
}

describe("consent request validation", () => {
  it("normalizes scopes (dedupe, canonical order) and fills defaults", () => {
    expect(validateConsentRequest(input)).toEqual({
      userId: "u1",
      clientId: "messenger-demo",
      linkId: input.linkId,
      scopes: ["accounts:read", "transactions:read"],
      purpose: ConsentPurpose.ACCOUNT_OVERVIEW,
      durationDays: 90,
      historyDays: null,
    });
  });

  it.each([
    [{ durationDays: 0 }, "durationDays must be a whole number from 1 to 365", "durationDays"],
    [{ durationDays: 366 }, "durationDays must be a whole number from 1 to 365", "durationDays"],
    [{ durationDays: 1.5 }, "durationDays must be a whole number from 1 to 365", "durationDays"],
    [{ historyDays: 0 }, "historyDays must be a whole number from 1 to 3650", "historyDays"],
    [{ historyDays: 3651 }, "historyDays must be a whole number from 1 to 3650", "historyDays"],
    [{ userId: "" }, "userId is required", "userId"],
  ])("refuses %o", (patch, message, field) => {
    const error = caught(() => validateConsentRequest({ ...input, ...patch }));
    expect([error.code, error.message, error.extensions.field]).toEqual([ErrorCode.BAD_USER_INPUT, message, field]);
  });

  it("accepts the range ends", () => {
    expect(validateConsentRequest({ ...input, durationDays: 1, historyDays: 1 })).toMatchObject({ durationDays: 1, historyDays: 1 });
    expect(validateConsentRequest({ ...input, durationDays: 365, historyDays: 3650 })).toMatchObject({
      durationDays: 365,
      historyDays: 3650,
    });
  });

  it("refuses empty and unknown scopes, naming them", () => {
    expect(caught(() => validateConsentRequest({ ...input, scopes: [] })).message).toBe("At least one scope is required");
    const error = caught(() => validateConsentRequest({ ...input, scopes: ["accounts:read", "transfers:write", CONSENT_MANAGE_SCOPE] }));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.message).toBe(`Unknown scope(s): transfers:write, consent:manage. Known scopes: ${SCOPES.join(", ")}`);
  });
});

describe("scopes and purposes", () => {
  it("knows exactly the six data scopes and payments:write (issue 16); consent:manage is not one", () => {
    expect(SCOPES).toEqual(["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read", "alerts:read", "payments:write"]);
    expect(SCOPES.every(isScope)).toBe(true);
    expect(isScope(CONSENT_MANAGE_SCOPE)).toBe(false);
    expect(isScope(42)).toBe(false);
    expect(parseScopes(["alerts:read", "accounts:read"])).toEqual(["accounts:read", "alerts:read"]);
  });

  it.each([...FORBIDDEN_PURPOSES, "advertising", "Data-Resale", " marketing "])("refuses purpose %j as PURPOSE_FORBIDDEN", (purpose) => {
    const error = caught(() => parsePurpose(purpose));
    expect(error.code).toBe(ErrorCode.PURPOSE_FORBIDDEN);
    expect(error.message).toMatch(/^Purpose (ADVERTISING|MARKETING|DATA_RESALE) is not allowed: the CFPB 1033 rule forbids/);
    expect(caught(() => validateConsentRequest({ ...input, purpose })).code).toBe(ErrorCode.PURPOSE_FORBIDDEN);
  });

  it("refuses an unknown purpose as BAD_USER_INPUT listing the allowed ones", () => {
    const error = caught(() => parsePurpose("CREDIT_SCORING"));
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.message).toBe(`Unknown purpose "CREDIT_SCORING". Allowed purposes: ${Object.values(ConsentPurpose).join(", ")}`);
  });

  it.each(Object.values(ConsentPurpose))("accepts %s", (purpose) => {
    expect(parsePurpose(purpose)).toBe(purpose);
  });
});

describe("effective status", () => {
  it("a request stays AWAITING until its authorization window ends, EXPIRED at the exact boundary", () => {
    const c = awaiting();
    const deadline = at(AUTHORIZATION_WINDOW_DAYS);
    expect(effectiveStatus(c, new Date(deadline.getTime() - 1))).toBe(ConsentStatus.AWAITING_AUTHORIZATION);
    expect(effectiveStatus(c, deadline)).toBe(ConsentStatus.EXPIRED);
  });

  it("an authorization lasts durationDays from authorization, EXPIRED at the exact boundary", () => {
    const c = authorized();
    expect(c.expiresAt).toEqual(at(91));
    expect(effectiveStatus(c, at(91, -1))).toBe(ConsentStatus.AUTHORIZED);
    expect(effectiveStatus(c, at(91))).toBe(ConsentStatus.EXPIRED);
  });

  it.each([ConsentStatus.REJECTED, ConsentStatus.REVOKED, ConsentStatus.EXPIRED])("%s is final whatever the clock says", (status) => {
    const c = { ...authorized(), status };
    expect(effectiveStatus(c, at(0))).toBe(status);
    expect(effectiveStatus(c, at(1000))).toBe(status);
  });
});

describe("transitions", () => {
  const U = ConsentActor.USER;
  const C = ConsentActor.CLIENT;
  const S = ConsentActor.SYSTEM;

  it("AUTHORIZE by the user: stamps times and records the expiry", () => {
    const { consent, change } = transition(awaiting(), "AUTHORIZE", U, at(2));
    expect(consent).toMatchObject({ status: ConsentStatus.AUTHORIZED, authorizedAt: at(2), decidedAt: at(2), expiresAt: at(92) });
    expect(change).toEqual({ type: ConsentEventType.AUTHORIZED, actor: U, at: at(2), detail: { expiresAt: at(92).toISOString() } });
  });

  it("REJECT by the user", () => {
    const { consent, change } = transition(awaiting(), "REJECT", U, at(1));
    expect(consent).toMatchObject({ status: ConsentStatus.REJECTED, decidedAt: at(1), authorizedAt: null, expiresAt: null });
    expect(change).toEqual({ type: ConsentEventType.REJECTED, actor: U, at: at(1), detail: {} });
  });

  it.each([
    ["AUTHORIZED", U],
    ["AUTHORIZED", C],
    ["AUTHORIZED", S],
    ["AWAITING_AUTHORIZATION", U],
    ["AWAITING_AUTHORIZATION", C],
    ["AWAITING_AUTHORIZATION", S],
  ] as const)("REVOKE from %s by %s", (from, actor) => {
    const start = from === "AUTHORIZED" ? authorized() : awaiting();
    const { consent, change } = transition(start, "REVOKE", actor, at(3), { why: "test" });
    expect(consent).toMatchObject({ status: ConsentStatus.REVOKED, revokedAt: at(3), revokedBy: actor });
    expect(change).toEqual({ type: ConsentEventType.REVOKED, actor, at: at(3), detail: { previousStatus: from, why: "test" } });
  });

  it("EXPIRE by the system once the clock has expired it", () => {
    const { consent, change } = transition(authorized(), "EXPIRE", S, at(91));
    expect(consent.status).toBe(ConsentStatus.EXPIRED);
    expect(change).toEqual({
      type: ConsentEventType.EXPIRED,
      actor: S,
      at: at(91),
      detail: { previousStatus: "AUTHORIZED", lapsedAt: at(91).toISOString() },
    });
    const lapsedRequest = transition(awaiting(), "EXPIRE", S, at(30));
    expect(lapsedRequest.change.detail).toEqual({ previousStatus: "AWAITING_AUTHORIZATION", lapsedAt: at(7).toISOString() });
  });

  it("RENEW by the user: same consent, expiresAt = now + durationDays, both dates on the event", () => {
    const before = authorized();
    const { consent, change } = transition(before, "RENEW", U, at(60), { via: "test" });
    expect(consent).toEqual({ ...before, expiresAt: at(150) });
    expect(change).toEqual({
      type: ConsentEventType.RENEWED,
      actor: U,
      at: at(60),
      detail: { previousExpiresAt: at(91).toISOString(), expiresAt: at(150).toISOString(), via: "test" },
    });
  });

  it.each([
    ["RENEW", C, "Only the user can renew a consent"],
    ["RENEW", S, "Only the user can renew a consent"],
  ] as const)("refuses %s by %s", (action, actor, message) => {
    const error = caught(() => transition(authorized(), action, actor, at(2)));
    expect([error.code, error.message, error.extensions.reason]).toEqual([ErrorCode.CONSENT_INVALID, message, "ACTOR_NOT_ALLOWED"]);
  });

  it.each([
    ["AUTHORIZE", C, "Only the user can authorize a consent"],
    ["AUTHORIZE", S, "Only the user can authorize a consent"],
    ["REJECT", C, "Only the user can reject a consent"],
    ["REJECT", S, "Only the user can reject a consent"],
    ["EXPIRE", U, "Only the system can expire a consent"],
    ["EXPIRE", C, "Only the system can expire a consent"],
  ] as const)("refuses %s by %s", (action, actor, message) => {
    const error = caught(() => transition(awaiting(), action, actor, at(1)));
    expect([error.code, error.message, error.extensions.reason]).toEqual([ErrorCode.CONSENT_INVALID, message, "ACTOR_NOT_ALLOWED"]);
  });

  const states: Record<string, () => [Consent, Date]> = {
    AUTHORIZED: () => [authorized(), at(2)],
    REJECTED: () => [transition(awaiting(), "REJECT", U, at(1)).consent, at(2)],
    REVOKED: () => [transition(authorized(), "REVOKE", U, at(2)).consent, at(3)],
    "EXPIRED (stored)": () => [transition(authorized(), "EXPIRE", S, at(91)).consent, at(92)],
    "EXPIRED (authorization, by clock)": () => [authorized(), at(91)],
    "EXPIRED (request, by clock)": () => [awaiting(), at(7)],
    AWAITING_AUTHORIZATION: () => [awaiting(), at(1)],
  };
  const refused: [string, ConsentAction, ConsentActor, string][] = [
    ["AUTHORIZED", "AUTHORIZE", U, "AUTHORIZED"],
    ["AUTHORIZED", "REJECT", U, "AUTHORIZED"],
    ["AUTHORIZED", "EXPIRE", S, "AUTHORIZED"],
    ["REJECTED", "AUTHORIZE", U, "REJECTED"],
    ["REJECTED", "REJECT", U, "REJECTED"],
    ["REJECTED", "REVOKE", U, "REJECTED"],
    ["REVOKED", "AUTHORIZE", U, "REVOKED"],
    ["REVOKED", "REVOKE", C, "REVOKED"],
    ["EXPIRED (stored)", "AUTHORIZE", U, "EXPIRED"],
    ["EXPIRED (stored)", "REVOKE", U, "EXPIRED"],
    ["EXPIRED (stored)", "EXPIRE", S, "EXPIRED"],
    ["EXPIRED (authorization, by clock)", "REVOKE", C, "EXPIRED"],
    ["EXPIRED (request, by clock)", "AUTHORIZE", U, "EXPIRED"],
    ["EXPIRED (request, by clock)", "REJECT", U, "EXPIRED"],
    ["AWAITING_AUTHORIZATION", "EXPIRE", S, "AWAITING_AUTHORIZATION"],
    ["AWAITING_AUTHORIZATION", "RENEW", U, "AWAITING_AUTHORIZATION"],
    ["REJECTED", "RENEW", U, "REJECTED"],
    ["REVOKED", "RENEW", U, "REVOKED"],
    ["EXPIRED (stored)", "RENEW", U, "EXPIRED"],
    ["EXPIRED (authorization, by clock)", "RENEW", U, "EXPIRED"],
  ];
  it.each(refused)("refuses from %s: %s by %s", (state, action, actor, status) => {
    const [consent, now] = states[state]!();
    const error = caught(() => transition(consent, action, actor, now));
    expect(error.code).toBe(ErrorCode.CONSENT_INVALID);
    expect(error.message).toBe(`Cannot ${action.toLowerCase()} a consent that is ${status}`);
    expect(error.extensions).toMatchObject({ reason: "ILLEGAL_TRANSITION", consentId: "c1", status });
  });
});
