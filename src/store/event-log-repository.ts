/**
 * `event_log` and `event_heads`: each person's events in a gap-free sequence (see
 * migrations/006_event_log.sql for why a head row, not a BIGSERIAL). Appends run inside the
 * caller's transaction; reads see a person's events in sequence order, never one with a hole before it.
 */
import type { Queryable } from "./database.js";
import { randomUUID } from "node:crypto";

/** An event to append for one person. `payload` must be JSON (dates as ISO strings). */
export interface NewLoggedEvent {
  userId: string;
  kind: string;
  linkId: string | null;
  institutionId: string | null;
  /** Only this app's subscribers may receive it (consent events); null = decided by consent alone. */
  clientId: string | null;
  occurredAt: Date;
  payload: unknown;
}

/** An event as stored, with its place in the person's sequence. */
export interface LoggedEvent extends NewLoggedEvent {
  seq: number;
  eventId: string;
  recordedAt: Date;
}

/** A person's head: the last sequence number used, and the highest one retention removed. */
export interface EventHead {
  seq: number;
  prunedThrough: number;
}

interface Row {
  user_id: string;
  seq: number | bigint;
  event_id: string;
  kind: string;
  link_id: string | null;
  institution_id: string | null;
  client_id: string | null;
  occurred_at: Date;
  recorded_at: Date;
  payload: unknown;
}

const COLUMNS = "user_id, seq, event_id, kind, link_id, institution_id, client_id, occurred_at, recorded_at, payload";

export class EventLogRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Appends one event: increments the person's head (taking its row lock until the transaction
   * ends) and writes the row at the new sequence number. Call it inside the transaction that
   * makes the event true.
   */
  async append(event: NewLoggedEvent, recordedAt: Date): Promise<LoggedEvent> {
    const [head] = await this.db.query<{ seq: number | bigint }>(
      `INSERT INTO event_heads (user_id, seq) VALUES ($1, 1)
       ON CONFLICT (user_id) DO UPDATE SET seq = event_heads.seq + 1 RETURNING seq`,
      [event.userId],
    );
    const seq = Number(head!.seq);
    const eventId = randomUUID();
    await this.db.query(`INSERT INTO event_log (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`, [
      event.userId,
      seq,
      eventId,
      event.kind,
      event.linkId,
      event.institutionId,
      event.clientId,
      event.occurredAt,
      recordedAt,
      JSON.stringify(event.payload),
    ]);
    return { ...event, seq, eventId, recordedAt };
  }

  /**
   * Records that the link was told the state of `subject` as of `occurredAt`. False (and nothing
   * changes) when it already knows a NEWER state: the event must not be logged. The same time is
   * not older (banks stamp in seconds or coarser); the event is logged, state being idempotent.
   */
  async advanceSubject(linkId: string, subject: string, occurredAt: Date): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO event_subjects (link_id, subject, occurred_at) VALUES ($1, $2, $3)
       ON CONFLICT (link_id, subject) DO UPDATE SET occurred_at = EXCLUDED.occurred_at
       WHERE event_subjects.occurred_at <= EXCLUDED.occurred_at RETURNING subject`,
      [linkId, subject, occurredAt],
    );
    return rows.length === 1;
  }

  /** The person's events after `afterSeq`, in order, at most `limit`; only `kinds` when given. */
  async readAfter(userId: string, afterSeq: number, limit: number, kinds?: readonly string[]): Promise<LoggedEvent[]> {
    const rows = kinds
      ? await this.db.query<Row>(`SELECT ${COLUMNS} FROM event_log WHERE user_id = $1 AND seq > $2 AND kind = ANY($3::text[]) ORDER BY seq LIMIT $4`, [
          userId,
          afterSeq,
          kinds,
          limit,
        ])
      : await this.db.query<Row>(`SELECT ${COLUMNS} FROM event_log WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [userId, afterSeq, limit]);
    return rows.map(toEvent);
  }

  /** The person's head; `{ seq: 0, prunedThrough: 0 }` before the first event. */
  async head(userId: string): Promise<EventHead> {
    const [row] = await this.db.query<{ seq: number | bigint; pruned_through: number | bigint }>(
      "SELECT seq, pruned_through FROM event_heads WHERE user_id = $1",
      [userId],
    );
    return row ? { seq: Number(row.seq), prunedThrough: Number(row.pruned_through) } : { seq: 0, prunedThrough: 0 };
  }

  /** The heads of many people in ONE query (people without events are left out). */
  async heads(userIds: readonly string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.query<{ user_id: string; seq: number | bigint }>("SELECT user_id, seq FROM event_heads WHERE user_id = ANY($1::text[])", [
      userIds,
    ]);
    return new Map(rows.map((r) => [r.user_id, Number(r.seq)]));
  }

  /**
   * Deletes events recorded before `before`, at most `limit`, and remembers per person the highest
   * sequence number removed (cursors at or below it have expired). Returns how many were deleted.
   */
  async prune(before: Date, limit: number): Promise<number> {
    const deleted = await this.db.query<{ user_id: string; seq: number | bigint }>(
      `DELETE FROM event_log WHERE (user_id, seq) IN (
         SELECT user_id, seq FROM event_log WHERE recorded_at < $1 ORDER BY recorded_at LIMIT $2
       ) RETURNING user_id, seq`,
      [before, limit],
    );
    const highest = new Map<string, number>();
    for (const { user_id, seq } of deleted) highest.set(user_id, Math.max(highest.get(user_id) ?? 0, Number(seq)));
    for (const [userId, seq] of highest) {
      await this.db.query("UPDATE event_heads SET pruned_through = GREATEST(pruned_through, $2) WHERE user_id = $1", [userId, seq]);
    }
    return deleted.length;
  }
}

function toEvent(row: Row): LoggedEvent {
  return {
    userId: row.user_id,
    seq: Number(row.seq),
    eventId: row.event_id,
    kind: row.kind,
    linkId: row.link_id,
    institutionId: row.institution_id,
    clientId: row.client_id,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    payload: row.payload,
  };
}
