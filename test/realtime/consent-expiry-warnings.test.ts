/**
 * Expiry warnings 30 and 7 days ahead, once each per end date (issue 13 item 4), over a gateway
 * whose sweep runs only when the test says (CONSENT_EXPIRY_SWEEP_MS=0) on a ManualClock. What the
 * app sees is read through `events(kinds: [CONSENT_EXPIRING])`, which says which warning each was
 * (expiryWarningDays). A renewed consent is warned again before its new end, and the warnings of
 * the end date it no longer has are not served any more. A consent first swept inside 7 days gets
 * the 7-day warning only, never a stale 30-day one; the counts of every sweep are exact.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { DAY_MS, ManualClock } from "../../src/clock.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";

const T0 = new Date("2026-08-01T12:00:00Z");
const clock = new ManualClock(T0);
let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway({ clock, mocks: { banks: ["chase", "citi"] }, env: { CONSENT_EXPIRY_SWEEP_MS: "0" } });
}, 120_000);
afterAll(() => t?.close());

const at = (days: number, ms = 0) => clock.set(new Date(T0.getTime() + days * DAY_MS + ms));
const sweep = () => t.gateway.services.realtime.consentExpiry.sweep();

/** The warnings the app can read now: [consent id, which warning, end date warned of]. */
async function warnings(user: TestUser): Promise<Array<[string, number, string]>> {
  const response = await t.gql("query { events(first: 50, kinds: [CONSENT_EXPIRING]) { nodes { expiryWarningDays consent { id expiresAt } } } }", {}, user.app);
  expect(response.body.errors).toBeUndefined();
  return response.body.data.events.nodes.map((n: { expiryWarningDays: number; consent: { id: string; expiresAt: string } }) => [
    n.consent.id,
    n.expiryWarningDays,
    n.consent.expiresAt,
  ]);
}

it("warns 30 then 7 days before each end date, once each; again after a renewal; only 7 when first swept inside 7 days", async () => {
  at(0);
  const user = await t.newUser("warned", ["chase", "citi"]);
  const long = await t.grant(user, "chase", ["accounts:read"], { durationDays: 90 });
  const firstEnd = new Date(T0.getTime() + 90 * DAY_MS).toISOString();
  expect(await sweep()).toBe(0);

  at(60, -60_000);
  expect(await sweep()).toBe(0);
  at(60);
  expect(await sweep()).toBe(1);
  expect(await sweep()).toBe(0);
  expect(await warnings(user)).toEqual([[long, 30, firstEnd]]);

  at(83, -60_000);
  expect(await sweep()).toBe(0);
  at(83);
  expect(await sweep()).toBe(1);
  expect(await sweep()).toBe(0);
  expect(await warnings(user)).toEqual([
    [long, 30, firstEnd],
    [long, 7, firstEnd],
  ]);

  // Renewed a day later: the warnings of the old end date are news no more; the new end gets its own.
  at(84);
  const renewed = await t.gql("mutation($id: ID!) { renewConsent(id: $id) { expiresAt } }", { id: long }, user.user);
  const secondEnd = new Date(T0.getTime() + 174 * DAY_MS).toISOString();
  expect(renewed.body.data.renewConsent.expiresAt).toBe(secondEnd);
  expect(await warnings(user)).toEqual([]);
  // A 35-day consent granted now: due for its 30-day warning at day 89, but first swept at day 113.
  const short = await t.grant(user, "citi", ["accounts:read"], { durationDays: 35 });
  const shortEnd = new Date(T0.getTime() + 119 * DAY_MS).toISOString();
  expect(await sweep()).toBe(0);

  at(113);
  expect(await sweep()).toBe(1);
  expect(await sweep()).toBe(0);
  expect(await warnings(user)).toEqual([[short, 7, shortEnd]]);

  at(144);
  expect(await sweep()).toBe(1);
  at(167);
  expect(await sweep()).toBe(1);
  expect(await sweep()).toBe(0);
  // The short consent has ended by now: a warning about it is served only while it still holds.
  expect(await warnings(user)).toEqual([
    [long, 30, secondEnd],
    [long, 7, secondEnd],
  ]);
  const claims = await t.gateway.services.db.query<{ consent: string; threshold: number; expiresAt: Date }>(
    `SELECT consent_id AS consent, threshold_days AS threshold, expires_at AS "expiresAt" FROM consent_expiry_notices ORDER BY notified_at`,
  );
  expect(claims.map((c) => [c.threshold, new Date(c.expiresAt).toISOString()])).toEqual([
    [30, firstEnd],
    [7, firstEnd],
    [7, shortEnd],
    [30, secondEnd],
    [7, secondEnd],
  ]);
});
