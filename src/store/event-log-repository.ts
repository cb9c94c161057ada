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
    const [logged] = await this.appendAll([event], recordedAt);
    return logged!;
  }

  /**
   * Appends many events (of one or many people) in ONE statement, whatever their number: each
   * person's head moves by their count of events (row locks taken in user-id order, so two
   * batches never deadlock), and the rows are written at the sequence numbers that frees, each
   * person's events in the order given. Inside the transaction that makes them true.
   */
  async appendAll(events: readonly NewLoggedEvent[], recordedAt: Date): Promise<LoggedEvent[]> {
    if (events.length === 0) return [];
    const ids = events.map(() => randomUUID());
    const rows = await this.db.query<{ event_id: string; seq: number | bigint }>(
      `WITH batch AS (
         SELECT t.*, row_number() OVER (PARTITION BY t.user_id ORDER BY t.position) AS nth, count(*) OVER (PARTITION BY t.user_id) AS n
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[], $8::text[]) WITH ORDINALITY
           AS t(user_id, event_id, kind, link_id, institution_id, client_id, occurred_at, payload, position)
       ), heads AS (
         INSERT INTO event_heads (user_id, seq)
         SELECT user_id, n FROM (SELECT DISTINCT user_id, n FROM batch) AS people ORDER BY user_id
         ON CONFLICT (user_id) DO UPDATE SET seq = event_heads.seq + EXCLUDED.seq RETURNING user_id, seq
       )
       INSERT INTO event_log (${COLUMNS})
       SELECT b.user_id, h.seq - b.n + b.nth, b.event_id, b.kind, b.link_id, b.institution_id, b.client_id, b.occurred_at, $9::timestamptz, b.payload::jsonb
       FROM batch b JOIN heads h ON h.user_id = b.user_id
       RETURNING event_id, seq`,
      [
        events.map((e) => e.userId),
        ids,
        events.map((e) => e.kind),
        events.map((e) => e.linkId),
        events.map((e) => e.institutionId),
        events.map((e) => e.clientId),
        events.map((e) => e.occurredAt.toISOString()),
        events.map((e) => JSON.stringify(e.payload)),
        recordedAt,
      ],
    );
    const seqOf = new Map(rows.map((r) => [r.event_id, Number(r.seq)]));
    return events.map((event, i): LoggedEvent => ({ ...event, seq: seqOf.get(ids[i]!)!, eventId: ids[i]!, recordedAt }));
  }

  /**
   * Records that the link was told the state of `subject` as of `occurredAt` (at `recordedAt`).
   * False (and nothing changes) when it already knows a NEWER state: the event must not be logged.
   * The same time is not older (banks stamp in seconds or coarser); the event is logged, state
   * being idempotent.
   */
  async advanceSubject(linkId: string, subject: string, occurredAt: Date, recordedAt: Date): Promise<boolean> {
    return (await this.advanceSubjects([linkId], subject, occurredAt, recordedAt)).has(linkId);
  }

  /** {@link advanceSubject} for many links in one statement: the links whose state moved (the others know a newer one). */
  async advanceSubjects(linkIds: readonly string[], subject: string, occurredAt: Date, recordedAt: Date): Promise<Set<string>> {
    if (linkIds.length === 0) return new Set();
    const rows = await this.db.query<{ link_id: string }>(
      `INSERT INTO event_subjects (link_id, subject, occurred_at, recorded_at)
       SELECT link_id, $2::text, $3::timestamptz, $4::timestamptz FROM unnest($1::uuid[]) AS t(link_id) ORDER BY link_id
       ON CONFLICT (link_id, subject) DO UPDATE SET occurred_at = EXCLUDED.occurred_at, recorded_at = EXCLUDED.recorded_at
       WHERE event_subjects.occurred_at <= EXCLUDED.occurred_at RETURNING link_id`,
      [[...new Set(linkIds)].sort(), subject, occurredAt, recordedAt],
    );
    return new Set(rows.map((r) => r.link_id));
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

  /**
   * {@link readAfter} for many (person, position) pairs in ONE query: for each, that person's next
   * events after `afterSeq`, in order, at most `limit`; in the order of `positions`.
   */
  async readAfterMany(positions: ReadonlyArray<{ userId: string; afterSeq: number }>, limit: number): Promise<LoggedEvent[][]> {
    if (positions.length === 0) return [];
    const rows = await this.db.query<Row & { position: number }>(
      `SELECT p.position, e.* FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS p(user_id, after_seq, position)
       CROSS JOIN LATERAL (
         SELECT ${COLUMNS} FROM event_log WHERE user_id = p.user_id AND seq > p.after_seq ORDER BY seq LIMIT $3
       ) AS e
       ORDER BY p.position, e.seq`,
      [positions.map((p) => p.userId), positions.map((p) => p.afterSeq), limit],
    );
    const read: LoggedEvent[][] = positions.map(() => []);
    for (const row of rows) read[Number(row.position) - 1]!.push(toEvent(row));
    return read;
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
    const people = [...highest.keys()].sort();
    if (people.length > 0) {
      await this.db.query(
        `UPDATE event_heads SET pruned_through = GREATEST(pruned_through, t.seq)
         FROM unnest($1::text[], $2::bigint[]) AS t(user_id, seq) WHERE event_heads.user_id = t.user_id`,
        [people, people.map((p) => highest.get(p)!)],
      );
    }
    return deleted.length;
  }

  /**
   * Forgets, at most `limit` at a time, the state of things last changed (as the gateway recorded
   * it) before `before`. Returns how many went.
   */
  async pruneSubjects(before: Date, limit: number): Promise<number> {
    const deleted = await this.db.query(
      `DELETE FROM event_subjects WHERE (link_id, subject) IN (
         SELECT link_id, subject FROM event_subjects WHERE recorded_at < $1 LIMIT $2
       ) RETURNING link_id`,
      [before, limit],
    );
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
