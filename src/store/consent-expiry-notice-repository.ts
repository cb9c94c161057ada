/**
 * `consent_expiry_notices`: which consents have been announced as expiring, so each is announced
 * once — across restarts and across every gateway instance sharing the database.
 */
import type { Queryable } from "./database.js";

/** A consent due for its expiry notice. */
export interface ExpiringConsentRef {
  consentId: string;
  userId: string;
}

/** Finds consents due for a notice and claims them. */
export class ConsentExpiryNoticeRepository {
  constructor(private readonly db: Queryable) {}

  /** AUTHORIZED consents expiring in (now, until] that have no notice yet; at most `limit`, soonest first. */
  async due(now: Date, until: Date, limit: number): Promise<ExpiringConsentRef[]> {
    return this.db.query<ExpiringConsentRef>(
      `SELECT c.id AS "consentId", c.user_id AS "userId" FROM consents c
       WHERE c.status = 'AUTHORIZED' AND c.expires_at > $1 AND c.expires_at <= $2
         AND NOT EXISTS (SELECT 1 FROM consent_expiry_notices n WHERE n.consent_id = c.id)
       ORDER BY c.expires_at, c.id LIMIT $3`,
      [now, until, limit],
    );
  }

  /**
   * Claims the notice. True for exactly one caller per consent, whichever instance asks first;
   * false when it was already claimed.
   */
  async claim(consentId: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO consent_expiry_notices (consent_id, notified_at) VALUES ($1, $2)
       ON CONFLICT (consent_id) DO NOTHING RETURNING consent_id`,
      [consentId, at],
    );
    return rows.length === 1;
  }
}
