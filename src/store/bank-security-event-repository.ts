/**
 * The replay ledger of banks' Security Event Tokens: each (bank, jti) is accepted once, across every
 * gateway instance sharing the store. Written in the transaction that acts on the event, so an event
 * is either acted on and recorded, or neither.
 */
import type { Queryable } from "./database.js";

export class BankSecurityEventRepository {
  constructor(private readonly db: Queryable) {}

  /** Records the jti: true the first time, false for a replay. Atomic across instances. */
  async recordOnce(institutionId: string, jti: string, at: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO bank_security_events (institution_id, jti, received_at) VALUES ($1, $2, $3)
       ON CONFLICT (institution_id, jti) DO NOTHING RETURNING jti`,
      [institutionId, jti, at],
    );
    return rows.length === 1;
  }

  /** Forgets jtis received before `before` (older SETs are refused by their iat). */
  async pruneBefore(before: Date): Promise<void> {
    await this.db.query("DELETE FROM bank_security_events WHERE received_at < $1", [before]);
  }
}
