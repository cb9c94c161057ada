/**
 * When a consent's app (and the person, on the dashboard) is warned that it is about to end: 30
 * and 7 days before each end date. One rule, two readers: the sweep that tells apps
 * (src/realtime/consent-expiry-sweep.ts, which asks the store the same question in SQL) and the
 * pages that show the person which sharing ends soon.
 */
import { DAY_MS } from "../clock.js";
import { ConsentStatus, type Consent } from "../domain/consent.js";
import { effectiveStatus } from "./lifecycle.js";

/** How many days before a consent's end date it is warned of, nearest first. */
export const EXPIRY_WARNING_DAYS: readonly number[] = [7, 30];

/**
 * The warning that holds for `consent` at `now` — the nearest threshold its remaining time is
 * within — or null (not live, or not ending soon). A farther warning at least as long as the
 * consent itself does not apply (a 30-day consent is not "expiring" the moment it is granted);
 * the nearest one applies to every consent, however short.
 */
export function expiryWarningAt(consent: Pick<Consent, "status" | "requestedAt" | "expiresAt" | "durationDays">, now: Date): number | null {
  if (effectiveStatus(consent, now) !== ConsentStatus.AUTHORIZED || consent.expiresAt === null) return null;
  const remaining = consent.expiresAt.getTime() - now.getTime();
  const nearest = EXPIRY_WARNING_DAYS[0];
  return EXPIRY_WARNING_DAYS.find((days) => remaining <= days * DAY_MS && (days === nearest || consent.durationDays > days)) ?? null;
}
