/**
 * The one consent decision (`decide`), by example and by property (fast-check): OR-of-AND
 * requirements, every consent status, the expiry boundary to the millisecond, history windows.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide, DenialReason, historyWindowAt, withinWindow, type ScopeRequirement } from "../../../src/consent/consent-view.js";
import { authorizationDeadline } from "../../../src/consent/lifecycle.js";
import { ConsentStatus, SCOPES, type Consent, type Scope } from "../../../src/domain/consent.js";
import { consent, DAY, effective, T0 } from "./consent-fixtures.js";

const scope = fc.constantFrom(...SCOPES);
const grantedScopes = fc.uniqueArray(scope, { minLength: 1, maxLength: SCOPES.length });
const requirement: fc.Arbitrary<ScopeRequirement> = fc.array(fc.uniqueArray(scope, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });
const instant = fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2090-01-01T00:00:00Z"), noInvalidDate: true });
const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** The denial expected of a decision `c` took: the deciding consent is named, so the app can ask for the wider one. */
const deniedBy = (reason: DenialReason, c: Consent) => ({ granted: false, reason, decidedBy: { id: c.id, linkId: c.linkId } });

describe("decide, by example", () => {
  const live = (scopes: Scope[]) => effective(consent({ scopes }));

  it("[[a, b], [c]] = (a AND b) OR c", () => {
    const req = [["accounts:read", "balances:read"], ["identity:read"]];
    expect(decide(live(["accounts:read", "balances:read"]), req, T0)).toMatchObject({ granted: true, scopes: ["accounts:read", "balances:read"] });
    expect(decide(live(["identity:read"]), req, T0)).toMatchObject({ granted: true, scopes: ["identity:read"] });
    expect(decide(live(["accounts:read"]), req, T0)).toEqual(deniedBy(DenialReason.NOT_GRANTED, consent()));
    expect(decide(live(["balances:read", "transactions:read"]), req, T0)).toEqual(deniedBy(DenialReason.NOT_GRANTED, consent()));
  });

  it("no consent at all is NOT_GRANTED, decided by no consent", () => {
    expect(decide(undefined, [["accounts:read"]], T0)).toEqual({ granted: false, reason: DenialReason.NOT_GRANTED, decidedBy: null });
  });

  it("a grant carries the consent and its history window as of the decision", () => {
    const c = consent({ historyDays: 2 });
    const decision = decide(effective(c), [["transactions:read"]], T0);
    expect(decision).toEqual({ granted: true, consent: c, scopes: ["transactions:read"], window: { earliest: "2026-03-13" } });
    expect(decide(effective(consent()), [["accounts:read"]], T0)).toMatchObject({ window: { earliest: null } });
  });

  it("misuse: an empty requirement or an empty alternative is refused loudly (it would grant anything)", () => {
    expect(() => decide(live(["accounts:read"]), [], T0)).toThrow(/at least one alternative and a scope in each/);
    expect(() => decide(live(["accounts:read"]), [["accounts:read"], []], T0)).toThrow(/at least one alternative and a scope in each/);
  });
});

describe("decide, by property", () => {
  it("an authorized, live consent grants exactly when some alternative is wholly granted; the grant names the first such", () => {
    fc.assert(
      fc.property(grantedScopes, requirement, (granted, req) => {
        const c = consent({ scopes: granted });
        const decision = decide(effective(c), req, T0);
        const first = req.find((all) => all.every((s) => granted.includes(s as Scope)));
        if (first) expect(decision).toMatchObject({ granted: true, scopes: first });
        else expect(decision).toEqual(deniedBy(DenialReason.NOT_GRANTED, c));
      }),
    );
  });

  it("alternatives are an OR: adding one never takes a grant away, and order decides only which is named", () => {
    fc.assert(
      fc.property(grantedScopes, requirement, requirement, (granted, a, b) => {
        const c = effective(consent({ scopes: granted }));
        const either = decide(c, [...a, ...b], T0).granted;
        expect(either).toBe(decide(c, a, T0).granted || decide(c, b, T0).granted);
        expect(decide(c, [...b, ...a], T0).granted).toBe(either);
      }),
    );
  });

  it("every status but AUTHORIZED denies, with its own reason, whatever the scopes", () => {
    const denied = [ConsentStatus.AWAITING_AUTHORIZATION, ConsentStatus.REJECTED, ConsentStatus.REVOKED, ConsentStatus.EXPIRED];
    fc.assert(
      fc.property(fc.constantFrom(...denied), grantedScopes, requirement, (status, granted, req) => {
        const c = consent({ status, scopes: granted, requestedAt: new Date(T0.getTime() - 60_000) });
        expect(decide(effective(c), req, T0)).toEqual(deniedBy(status as string as DenialReason, c));
      }),
    );
  });

  it("expiry: granted up to the millisecond before expiresAt, EXPIRED from that millisecond on, whatever the store says", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -5 * DAY, max: 5 * DAY }), (expiresAt, offset) => {
        const c = consent({ scopes: ["accounts:read"], authorizedAt: new Date(expiresAt.getTime() - 90 * DAY), expiresAt });
        const now = new Date(expiresAt.getTime() + offset);
        const decision = decide(effective(c), [["accounts:read"]], now);
        if (offset < 0) expect(decision.granted).toBe(true);
        else expect(decision).toEqual(deniedBy(DenialReason.EXPIRED, c));
      }),
    );
    const c = consent({ scopes: ["accounts:read"] });
    expect(decide(effective(c), [["accounts:read"]], new Date(c.expiresAt!.getTime() - 1)).granted).toBe(true);
    expect(decide(effective(c), [["accounts:read"]], c.expiresAt!)).toEqual(deniedBy(DenialReason.EXPIRED, c));
  });

  it("a request never authorized lapses to EXPIRED at its authorization deadline", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -DAY, max: DAY }), (requestedAt, offset) => {
        const c = consent({ status: ConsentStatus.AWAITING_AUTHORIZATION, requestedAt, authorizedAt: null, expiresAt: null, decidedAt: null });
        const now = new Date(authorizationDeadline(c).getTime() + offset);
        expect(decide(effective(c), [["accounts:read"]], now)).toEqual(deniedBy(offset < 0 ? DenialReason.AWAITING_AUTHORIZATION : DenialReason.EXPIRED, c));
      }),
    );
  });

  it("history window: exactly historyDays back from the decision's date; a row is visible iff dated on or after it", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 3650 }), instant, (now, days, row) => {
        const c = consent({ historyDays: days, authorizedAt: new Date(now.getTime() - DAY), expiresAt: new Date(now.getTime() + DAY) });
        const decision = decide(effective(c), [["transactions:read"]], now);
        if (!decision.granted) throw new Error("expected a grant");
        const earliest = decision.window.earliest!;
        expect(Date.parse(ymd(now)) - Date.parse(earliest)).toBe(days * DAY);
        expect(withinWindow(decision.window, ymd(row))).toBe(ymd(row) >= earliest);
        expect(withinWindow(decision.window, row)).toBe(ymd(row) >= earliest);
        expect(withinWindow(decision.window, ymd(now))).toBe(true);
      }),
    );
  });

  it("history window: a longer history never hides more, and no historyDays hides nothing", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 3650 }), fc.integer({ min: 0, max: 3650 }), instant, (now, days, more, row) => {
        const short = historyWindowAt(days, now);
        const long = historyWindowAt(days + more, now);
        expect(long.earliest! <= short.earliest!).toBe(true);
        if (withinWindow(short, row)) expect(withinWindow(long, row)).toBe(true);
        expect(withinWindow(historyWindowAt(null, now), row)).toBe(true);
      }),
    );
  });
});
