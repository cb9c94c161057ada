/**
 * `consent_expiry_notices`: which expiry warnings have been sent — one per (consent, warning,
 * end date) — so each is sent once, across restarts and across every gateway instance sharing the
 * database, and a renewed consent (same id, new end date) is warned again before its new end.
 */
import type { Queryable } from "./database.js";

/** A consent due for one expiry warning, with the end date the warning is about. */
export interface ExpiringConsentRef {
  consentId: string;
  userId: string;
  expiresAt: Date;
}

/** Finds consents due for a warning and claims the warnings. */
export class ConsentExpiryNoticeRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * AUTHORIZED consents expiring in (now, now + thresholdDays] that have had neither this warning
   * nor a nearer one for their current end date; at most `limit`, soonest first. Unless `nearest`
   * (the last warning, which every consent gets), only consents longer than the warning are due:
   * a 10-day consent gets no 30-day warning the moment it is granted.
   */
  async due(now: Date, thresholdDays: number, limit: number, nearest: boolean): Promise<ExpiringConsentRef[]> {
    const until = new Date(now.getTime() + thresholdDays * 86_400_000);
    const rows = await this.db.query<ExpiringConsentRef>(
      `SELECT c.id AS "consentId", c.user_id AS "userId", c.expires_at AS "expiresAt" FROM consents c
       WHERE c.status = 'AUTHORIZED' AND c.expires_at > $1 AND c.expires_at <= $2 AND (c.duration_days > $3 OR $5::boolean)
         AND NOT EXISTS (SELECT 1 FROM consent_expiry_notices n
                         WHERE n.consent_id = c.id AND n.expires_at = c.expires_at AND n.threshold_days <= $3)
       ORDER BY c.expires_at, c.id LIMIT $4`,
      [now, until, thresholdDays, limit, nearest],
    );
    return rows.map((r) => ({ ...r, expiresAt: new Date(r.expiresAt) }));
  }

  /**
   * Claims one warning. True for exactly one caller per (consent, warning, end date), whichever
   * instance asks first; false when it was already claimed.
   */
  async claim(ref: Pick<ExpiringConsentRef, "consentId" | "expiresAt">, thresholdDays: number, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO consent_expiry_notices (consent_id, threshold_days, expires_at, notified_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consent_id, threshold_days, expires_at) DO NOTHING RETURNING consent_id`,
      [ref.consentId, thresholdDays, ref.expiresAt, at],
    );
    return rows.length === 1;
  }
}
