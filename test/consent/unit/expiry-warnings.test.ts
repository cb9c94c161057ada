/**
 * The expiry-warning rule the dashboard shows and the sweep sends (30 and 7 days before the end
 * date): by example at the boundaries, and by property — the warning is the nearest threshold the
 * remaining time is within, a farther one only for consents longer than it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXPIRY_WARNING_DAYS, expiryWarningAt } from "../../../src/consent/expiry-warnings.js";
import { ConsentStatus } from "../../../src/domain/consent.js";
import { consent, DAY, T0 } from "./consent-fixtures.js";

const ending = (durationDays: number) => consent({ durationDays, authorizedAt: T0, expiresAt: new Date(T0.getTime() + durationDays * DAY) });
/** `days` days and `ms` milliseconds before the consent's end. */
const before = (c: { expiresAt: Date | null }, days: number, ms = 0) => new Date(c.expiresAt!.getTime() - days * DAY - ms);

describe("expiryWarningAt", () => {
  it("a 90-day consent: none until 30 days before, 30 until 7 days before, 7 until the end, none after", () => {
    const c = ending(90);
    expect(expiryWarningAt(c, before(c, 30, 1))).toBeNull();
    expect(expiryWarningAt(c, before(c, 30))).toBe(30);
    expect(expiryWarningAt(c, before(c, 7, 1))).toBe(30);
    expect(expiryWarningAt(c, before(c, 7))).toBe(7);
    expect(expiryWarningAt(c, before(c, 0, 1))).toBe(7);
    expect(expiryWarningAt(c, c.expiresAt!)).toBeNull();
  });

  it("no 30-day warning for a consent of 30 days or less; the 7-day one for every consent, however short", () => {
    expect(expiryWarningAt(ending(30), T0)).toBeNull();
    expect(expiryWarningAt(ending(30), before(ending(30), 7))).toBe(7);
    expect(expiryWarningAt(ending(31), before(ending(31), 30))).toBe(30);
    expect(expiryWarningAt(ending(5), T0)).toBe(7);
  });

  it("nothing for a consent that is not live", () => {
    for (const status of [ConsentStatus.REVOKED, ConsentStatus.REJECTED, ConsentStatus.EXPIRED]) {
      expect(expiryWarningAt(consent({ status, durationDays: 5, expiresAt: new Date(T0.getTime() + DAY) }), T0)).toBeNull();
    }
  });

  it("by property: the nearest threshold within reach that applies to the consent's length", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 }), fc.integer({ min: 0, max: 365 * DAY }), (durationDays, elapsed) => {
        const c = ending(durationDays);
        const now = new Date(T0.getTime() + elapsed);
        const remaining = c.expiresAt!.getTime() - now.getTime();
        const expected = remaining <= 0 ? null : (EXPIRY_WARNING_DAYS.find((d, i) => remaining <= d * DAY && (i === 0 || durationDays > d)) ?? null);
        expect(expiryWarningAt(c, now)).toBe(expected);
        if (expected !== null) expect(remaining).toBeLessThanOrEqual(expected * DAY);
      }),
    );
  });
});
