/**
 * Replay protection for bank webhooks: each (institution, event id) is accepted once, across
 * every gateway instance sharing the database. Entries older than the event retention are
 * forgotten (src/realtime/event-retention.ts): banks retry for far less long.
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

  /** Forgets, at most `limit` at a time, events received before `before`. Returns how many went. */
  async pruneBefore(before: Date, limit: number): Promise<number> {
    const deleted = await this.db.query(
      `DELETE FROM webhook_events WHERE (institution_id, event_id) IN (
         SELECT institution_id, event_id FROM webhook_events WHERE received_at < $1 LIMIT $2
       ) RETURNING event_id`,
      [before, limit],
    );
    return deleted.length;
  }
}
