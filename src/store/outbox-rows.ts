/**
 * What the two revocation outboxes (`app_webhook_deliveries`, `bank_grant_revocations`, migration
 * 010) share: claiming due rows, and recording how an attempt ended. One place for the claim SQL,
 * so both are claimed the same way on every instance: rows due now are locked with
 * `FOR UPDATE SKIP LOCKED` (another instance claiming at the same moment skips them) and leased by
 * moving `next_attempt_at` past the lease, in one short statement — the HTTP call happens after the
 * lock is released, and no other instance takes the row until the lease runs out.
 */
import type { Queryable } from "./database.js";

/** The tables {@link OutboxRows} may work on (never user input). */
export type OutboxTable = "app_webhook_deliveries" | "bank_grant_revocations";

/** The bookkeeping columns every outbox row has. */
export interface OutboxRow {
  id: string;
  /** Attempts started so far, this one included once claimed. */
  attempts: number;
}

export class OutboxRows<Row extends OutboxRow> {
  constructor(
    private readonly db: Queryable,
    private readonly table: OutboxTable,
    private readonly toRow: (raw: Record<string, unknown>) => Row,
  ) {}

  /** Claims up to `limit` due rows for `leaseMs` (counting the attempt); oldest first. */
  async claimDue(now: Date, leaseMs: number, limit: number): Promise<Row[]> {
    const rows = await this.db.query(
      `UPDATE ${this.table} SET next_attempt_at = $2, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM ${this.table}
         WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= $1
         ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now, new Date(now.getTime() + leaseMs), limit],
    );
    return rows.map(this.toRow);
  }

  /** The attempt succeeded. `erase` names columns cleared with it (secrets no longer needed). */
  async delivered(id: string, at: Date, erase: readonly string[] = []): Promise<void> {
    await this.db.query(`UPDATE ${this.table} SET delivered_at = $2, last_error = NULL${clear(erase)} WHERE id = $1`, [id, at]);
  }

  /** The attempt failed: try again at `retryAt`. */
  async retryLater(id: string, retryAt: Date, error: string): Promise<void> {
    await this.db.query(`UPDATE ${this.table} SET next_attempt_at = $2, last_error = $3 WHERE id = $1`, [id, retryAt, error]);
  }

  /** No further attempt will be made. */
  async abandoned(id: string, at: Date, error: string, erase: readonly string[] = []): Promise<void> {
    await this.db.query(`UPDATE ${this.table} SET abandoned_at = $2, last_error = $3${clear(erase)} WHERE id = $1`, [id, at, error]);
  }
}

function clear(columns: readonly string[]): string {
  return columns.map((c) => `, ${c} = NULL`).join("");
}
