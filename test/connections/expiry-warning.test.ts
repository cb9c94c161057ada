/**
 * The dashboard's end-of-access warning: 30 days before the end, then 7; only while sharing.
 */
import { describe, expect, it } from "vitest";
import { DAY_MS } from "../../src/clock.js";
import { expiryWarning } from "../../src/connections/connections-service.js";
import { ConsentPurpose, ConsentStatus, type Consent } from "../../src/domain/consent.js";

const NOW = new Date("2026-12-03T12:00:00Z");
const consent = (status: ConsentStatus, daysLeft: number | null): Consent => ({
  id: "c",
  userId: "alice",
  clientId: "app",
  linkId: "l",
  scopes: ["accounts:read"],
  purpose: ConsentPurpose.ACCOUNT_OVERVIEW,
  status,
  historyDays: null,
  durationDays: 90,
  requestedAt: NOW,
  authorizedAt: NOW,
  expiresAt: daysLeft === null ? null : new Date(NOW.getTime() + daysLeft * DAY_MS),
  decidedAt: NOW,
  revokedAt: null,
  revokedBy: null,
});

describe("expiryWarning", () => {
  it.each([
    [90, null],
    [30.5, null],
    [30, 30],
    [8, 30],
    [7, 7],
    [0.01, 7],
  ])("an AUTHORIZED consent with %s days left warns %s", (days, warning) => {
    expect(expiryWarning(consent(ConsentStatus.AUTHORIZED, days), NOW)).toBe(warning);
  });

  it.each([ConsentStatus.REVOKED, ConsentStatus.EXPIRED, ConsentStatus.REJECTED, ConsentStatus.AWAITING_AUTHORIZATION])(
    "a %s consent never warns",
    (status) => {
      expect(expiryWarning(consent(status, 3), NOW)).toBeNull();
    },
  );
});
