/**
 * Each bank's delivery high-water mark (`bank_event_marks`, migration 014): the sequence number
 * up to which every webhook delivery of the bank has been handled, and the lease that lets one
 * reconciler at a time, across instances, pull the bank's "events since" that mark.
 */
import type { Queryable } from "./database.js";

/** What a delivery's number says, compared with the mark. */
export type SequenceCheck =
  /** No mark yet: the first delivery heard from the bank sets it (nothing before it is owed). */
  | { kind: "FIRST" }
  /** Next in line (or already handled): nothing missing. */
  | { kind: "IN_ORDER" }
  /** Deliveries between the mark and this one are missing. */
  | { kind: "GAP"; lastSequence: number };

interface MarkRow {
  last_sequence: string | number;
}

export class BankEventMarkRepository {
  constructor(private readonly db: Queryable) {}

  /** Compares a delivery's number with the bank's mark (reads only). */
  async check(institutionId: string, sequence: number): Promise<SequenceCheck> {
    const [row] = await this.db.query<MarkRow>("SELECT last_sequence FROM bank_event_marks WHERE institution_id = $1", [institutionId]);
    if (!row) return { kind: "FIRST" };
    const lastSequence = Number(row.last_sequence);
    return sequence > lastSequence + 1 ? { kind: "GAP", lastSequence } : { kind: "IN_ORDER" };
  }

  /**
   * Records that delivery `sequence` was handled: moves the mark to it when it is the next one
   * (a delivery beyond a gap leaves the mark where it is, so the gap stays visible until the
   * reconciler fills it), and sets the mark on the first delivery heard from the bank. True when
   * the mark is now `sequence`. Marks only ever rise (here and in {@link raise}).
   */
  async handled(institutionId: string, sequence: number): Promise<boolean> {
    const moved = await this.db.query(
      `INSERT INTO bank_event_marks (institution_id, last_sequence) VALUES ($1, $2)
       ON CONFLICT (institution_id) DO UPDATE SET last_sequence = EXCLUDED.last_sequence
       WHERE bank_event_marks.last_sequence = EXCLUDED.last_sequence - 1 RETURNING last_sequence`,
      [institutionId, sequence],
    );
    return moved.length === 1;
  }

  /** The reconciler has handled everything the bank listed up to `sequence`: the mark moves there unless already beyond. */
  async raise(institutionId: string, sequence: number, at: Date): Promise<void> {
    await this.db.query(`UPDATE bank_event_marks SET last_sequence = GREATEST(last_sequence, $2), reconciled_at = $3 WHERE institution_id = $1`, [
      institutionId,
      sequence,
      at,
    ]);
  }

  /**
   * Claims the bank for one reconciler until `until`: the mark when claimed, undefined when
   * another holds an unexpired lease or the bank has no mark. Atomic across instances.
   */
  async claim(institutionId: string, owner: string, now: Date, until: Date): Promise<number | undefined> {
    const [row] = await this.db.query<MarkRow>(
      `UPDATE bank_event_marks SET lease_owner = $2, lease_until = $4
       WHERE institution_id = $1 AND (lease_until IS NULL OR lease_until <= $3 OR lease_owner = $2)
       RETURNING last_sequence`,
      [institutionId, owner, now, until],
    );
    return row ? Number(row.last_sequence) : undefined;
  }

  /** Gives the lease back (only the holder's). */
  async release(institutionId: string, owner: string): Promise<void> {
    await this.db.query(`UPDATE bank_event_marks SET lease_owner = NULL, lease_until = NULL WHERE institution_id = $1 AND lease_owner = $2`, [
      institutionId,
      owner,
    ]);
  }

  /** Banks with a mark (heard from at least once), the ones worth reconciling. */
  async institutions(): Promise<string[]> {
    const rows = await this.db.query<{ institution_id: string }>("SELECT institution_id FROM bank_event_marks ORDER BY institution_id");
    return rows.map((r) => r.institution_id);
  }
}
