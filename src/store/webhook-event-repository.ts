/**
 * Replay protection for bank webhooks: each (institution, event id) is accepted once, across
 * every gateway instance sharing the database.
 */
import type { Queryable } from "./database.js";

/** Records webhook event ids. */
export class WebhookEventRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Records the event. True the first time an (institution, event id) is seen, false for a replay.
   * Atomic: of two instances receiving the same event at once, exactly one gets true.
   */
  async recordOnce(institutionId: string, eventId: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO webhook_events (institution_id, event_id, received_at) VALUES ($1, $2, $3)
       ON CONFLICT (institution_id, event_id) DO NOTHING RETURNING event_id`,
      [institutionId, eventId, at],
    );
    return rows.length === 1;
  }
}
