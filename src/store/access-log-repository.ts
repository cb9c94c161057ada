/**
 * The access log: a record per (request, link, scope) the gateway read for a client, stored one
 * row per request (migration 020). The caller awaits `append` before the response leaves, so a
 * read the user can see happened is on the record. Each person's records form a hash chain
 * (src/domain/access-record.ts, migration 009): appending locks the person's head row, so every
 * instance extends the one chain.
 */
import { BoundedMap } from "../bounded-map.js";
import {
  chainPositionAfter,
  GENESIS_HASH,
  recordTime,
  type AccessRecord,
  type ChainedAccessRecord,
  type ChainPosition,
  type ChainTip,
} from "../domain/access-record.js";
import type { Database } from "./database.js";
import { GroupCommit } from "./group-commit.js";
import { readPageArgs, toPage, type Page, type PageArgs } from "./pagination.js";

export type { AccessRecord } from "../domain/access-record.js";

/** A stored access record. */
export interface AccessLogEntry extends AccessRecord {
  /** Its position in the log (see {@link position}): increasing in write order, newest entries have the highest. */
  id: number;
  /** Its place in the person's hash chain; null for records written before the chain existed (migration 009). */
  chain: { seq: number; prevHash: string; hash: string } | null;
}

/** One record as {@link RECORDS} unnests it from its request's row. */
interface RecordRow {
  row_id: number | bigint;
  ord: number | bigint;
  user_id: string;
  client_id: string;
  link_id: string;
  institution_id: string;
  consent_id: string | null;
  scope: string;
  purpose: string;
  operation_name: string | null;
  request_id: string;
  at: Date;
  seq: number | bigint | null;
  prev_hash: string | null;
  hash: string | null;
}

/**
 * Most records a row holds (migration 020 checks it): a record's position is its row's id times
 * this plus its index in the row, one number that orders the log newest first and fits a cursor.
 */
const RECORDS_PER_ROW = 65536;
const position = (rowId: number | bigint, index: number): number => Number(rowId) * RECORDS_PER_ROW + index;

/**
 * Every record of the log, one per (row, index): its row is one request's records (migration 020),
 * the fields that differ per record in parallel arrays, record `ord` (from 1) at index `ord`. Its
 * chain position follows from the row's: seq first_seq + ord − 1, prev_hash the row's first_prev_hash
 * for the first record and the hash before it for the others.
 */
const RECORDS = `access_log AS a CROSS JOIN LATERAL unnest(a.link_ids, a.institution_ids, a.consent_ids, a.scopes, a.purposes, a.hashes)
  WITH ORDINALITY AS r(link_id, institution_id, consent_id, scope, purpose, hash, ord)`;
const RECORD_COLUMNS = `a.id AS row_id, r.ord, a.user_id, a.client_id, r.link_id, r.institution_id, r.consent_id, r.scope, r.purpose,
  a.operation_name, a.request_id, a.at, a.first_seq + r.ord - 1 AS seq,
  CASE WHEN r.ord = 1 THEN a.first_prev_hash ELSE a.hashes[r.ord - 1] END AS prev_hash, r.hash`;

const toRecord = (row: RecordRow): AccessRecord => ({
  userId: row.user_id,
  clientId: row.client_id,
  linkId: row.link_id,
  institutionId: row.institution_id,
  consentId: row.consent_id,
  scope: row.scope,
  purpose: row.purpose,
  operationName: row.operation_name,
  requestId: row.request_id,
  at: row.at,
});

const toEntry = (row: RecordRow & { id: number }): AccessLogEntry => ({
  id: row.id,
  ...toRecord(row),
  chain: row.seq === null || row.prev_hash === null || row.hash === null ? null : { seq: Number(row.seq), prevHash: row.prev_hash, hash: row.hash },
});

/** A GraphQL access log cursor: a record's position, not a row id (an old cursor is refused, not misread). */
const CURSOR_KIND = "access_log_entry";

/** What a row stores once for its request's records: who, the request, and its first record's chain position. */
const SHARED_COLUMNS = [
  ["user_id", "text"],
  ["client_id", "text"],
  ["operation_name", "text"],
  ["request_id", "text"],
  ["at", "timestamptz"],
  ["first_seq", "bigint"],
  ["first_prev_hash", "text"],
] as const;
/** The row columns of a batch, one array per column: the shared columns and where the row's records lie in the record columns (1-based, inclusive). */
const ROW_COLUMNS = [...SHARED_COLUMNS, ["lo", "integer"], ["hi", "integer"]] as const;
/** The record columns: one array per field that differs per record, every request's records one after another. */
const RECORD_ARRAYS = [
  ["link_ids", "uuid"],
  ["institution_ids", "text"],
  ["consent_ids", "uuid"],
  ["scopes", "text"],
  ["purposes", "text"],
  ["hashes", "text"],
] as const;

/**
 * Takes the row locks of the batch's people's chain heads and returns the heads. The ids come
 * sorted and the rows are inserted/updated in that order, so two batches lock their common people
 * in the same order and never deadlock; a person's first record creates the row (seq 0).
 * `DO UPDATE` (a no-op assignment) rather than `DO NOTHING`, because only an update locks an existing row.
 */
const LOCK_HEADS = `INSERT INTO access_log_heads (user_id, seq, hash)
  SELECT user_id, 0, $2::text FROM unnest($1::text[]) AS user_id
  ON CONFLICT (user_id) DO UPDATE SET seq = access_log_heads.seq
  RETURNING user_id, seq, hash`;

/** The columns an append writes, in the order of its values. */
const ACCESS_LOG_COLUMNS = [...SHARED_COLUMNS, ...RECORD_ARRAYS].map(([name]) => name).join(", ");

/**
 * A row per request in one statement: the row columns unnested into rows, each taking its slice
 * of every record array. Each column is one parameter (an array) whatever the batch's size: cheap
 * to parse, never near PostgreSQL's limit of 65535 parameters, and the record arrays are parsed
 * once, not once per row.
 */
const INSERT_ROWS = `INSERT INTO access_log (${ACCESS_LOG_COLUMNS})
    SELECT ${SHARED_COLUMNS.map(([name]) => `row.${name}`).join(", ")},
      ${RECORD_ARRAYS.map(([, type], i) => `($${ROW_COLUMNS.length + i + 1}::${type}[])[row.lo:row.hi]`).join(", ")}
    FROM unnest(${ROW_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")}) AS row(${ROW_COLUMNS.map(([name]) => name).join(", ")})`;
/** Parameters after the rows' and records' columns: the people, their new tips and (fast path) the tips they must still be at. */
const P = ROW_COLUMNS.length + RECORD_ARRAYS.length;

/**
 * The rows and, in the same statement, the heads moved to the new tips. Inside the transaction
 * that locked the heads.
 */
const APPEND_LOCKED = `WITH appended AS (${INSERT_ROWS})
  UPDATE access_log_heads AS head SET seq = tip.seq, hash = tip.hash
  FROM unnest($${P + 1}::text[], $${P + 2}::bigint[], $${P + 3}::text[]) AS tip(user_id, seq, hash)
  WHERE head.user_id = tip.user_id`;

/**
 * A fast path's last clause: fails the statement (rolling back its rows and heads) unless `heads`
 * heads were moved, with a message {@link HEAD_MOVED} recognises.
 */
const failsUnlessMoved = (heads: string) =>
  `SELECT CAST(CASE WHEN count(*) = ${heads} THEN '0' ELSE 'access log head moved: ' || count(*) END AS integer) AS moved_elsewhere FROM moved`;

/**
 * The fast path, one statement and no transaction: rows chained after the tips this instance last
 * wrote, and the heads moved only where they still are at those tips. If any head moved meanwhile
 * (another instance appended for that person), the final cast fails, so the whole statement —
 * rows and heads — is rolled back, and the batch goes the locked way. The failing value is not a
 * constant (it counts rows), so the planner cannot fold the cast and fail it every time.
 */
const APPEND_AFTER_KNOWN_TIPS = `WITH moved AS (
    UPDATE access_log_heads AS head SET seq = tip.seq, hash = tip.hash
    FROM unnest($${P + 1}::text[], $${P + 2}::bigint[], $${P + 3}::text[], $${P + 4}::bigint[]) AS tip(user_id, seq, hash, was)
    WHERE head.user_id = tip.user_id AND head.seq = tip.was
    RETURNING head.user_id
  ), appended AS (${INSERT_ROWS})
  ${failsUnlessMoved(`$${P + 5}`)}`;
const HEAD_MOVED = /access log head moved/;

/**
 * The fast path for a batch of one row, the usual one (a request whose records are written
 * alone): {@link APPEND_AFTER_KNOWN_TIPS} with the row's values as they are, nothing to unnest or
 * slice. On PGlite, a dashboard's 18 records, the whole append: 667 → 549–578 µs (2026-12-04).
 * Parameters: the row's {@link SHARED_COLUMNS}, its {@link RECORD_ARRAYS}, then the person's new tip
 * (seq, hash) and the seq the head must still be at.
 */
const R = SHARED_COLUMNS.length + RECORD_ARRAYS.length;
const APPEND_ROW_AFTER_KNOWN_TIP = `WITH moved AS (
    UPDATE access_log_heads SET seq = $${R + 1}::bigint, hash = $${R + 2}::text
    WHERE user_id = $1::text AND seq = $${R + 3}::bigint
    RETURNING user_id
  ), appended AS (
    INSERT INTO access_log (${ACCESS_LOG_COLUMNS})
    SELECT ${[...SHARED_COLUMNS.map(([, type], i) => `$${i + 1}::${type}`), ...RECORD_ARRAYS.map(([, type], i) => `$${SHARED_COLUMNS.length + i + 1}::${type}[]`)].join(", ")}
    FROM moved
  )
  ${failsUnlessMoved("1")}`;

/** Tips remembered, one per person; past this many the tip written longest ago goes (the locked path relearns it). */
const MAX_KNOWN_TIPS = 100_000;

/** A row's {@link ROW_COLUMNS} values, for a request whose first record is `first`, at `lo` (and so far also ending there). */
const rowValues = (first: AccessRecord, at: ChainPosition, lo: number): unknown[] => [
  first.userId,
  first.clientId,
  first.operationName,
  first.requestId,
  recordTime(first.at),
  at.seq,
  at.prevHash,
  lo,
  lo,
];
/** A record's {@link RECORD_ARRAYS} values. */
const recordValues = (r: AccessRecord, at: ChainPosition): unknown[] => [r.linkId, r.institutionId, r.consentId, r.scope, r.purpose, at.hash];

/** Whether `record` belongs to the same request (the same row) as `first`. */
const sameRequest = (first: AccessRecord, record: AccessRecord): boolean =>
  record.userId === first.userId &&
  record.clientId === first.clientId &&
  record.operationName === first.operationName &&
  record.requestId === first.requestId &&
  record.at.getTime() === first.at.getTime();

/**
 * The batch chained after `tips`, as statement parameters: the row columns and the record columns
 * (see {@link INSERT_ROWS}); and each person's new tip, in the order of `tips`. A row is a run of
 * records of one request, handed in one after another (a request's records come in together), so
 * its records are consecutive in the person's chain.
 */
function chained(records: readonly AccessRecord[], tips: ReadonlyMap<string, ChainTip>): { columns: unknown[][]; tips: Map<string, ChainTip> } {
  const next = new Map(tips);
  const rows: unknown[][] = ROW_COLUMNS.map(() => []);
  const his = rows[ROW_COLUMNS.length - 1]!;
  const recordColumns: unknown[][] = RECORD_ARRAYS.map(() => []);
  let first: AccessRecord | undefined;
  let lo = 0;
  for (const [i, record] of records.entries()) {
    const link = chainPositionAfter(next.get(record.userId)!, record);
    next.set(record.userId, link);
    const n = i + 1;
    if (first === undefined || !sameRequest(first, record) || n - lo >= RECORDS_PER_ROW) {
      first = record;
      lo = n;
      rowValues(record, link, lo).forEach((value, c) => rows[c]!.push(value));
    } else {
      his[his.length - 1] = n;
    }
    recordValues(record, link).forEach((value, c) => recordColumns[c]!.push(value));
  }
  return { columns: [...rows, ...recordColumns], tips: next };
}

/** People, seqs and hashes of `tips` as three parallel arrays (statement parameters). */
function tipColumns(tips: ReadonlyMap<string, ChainTip>): [string[], number[], string[]] {
  const entries = [...tips.entries()];
  return [entries.map(([userId]) => userId), entries.map(([, tip]) => tip.seq), entries.map(([, tip]) => tip.hash)];
}

/** Appends to and pages through the access log. */
export class AccessLogRepository {
  /** Concurrent requests' records go to the store together (one transaction per write, not per request). */
  private readonly commits: GroupCommit<AccessRecord>;
  /**
   * Each person's chain tip as this instance last wrote it. Only a hint: the fast path checks it
   * against the head row in the same statement, so a stale tip costs a retry, never a fork.
   */
  private readonly knownTips = new BoundedMap<string, ChainTip>(MAX_KNOWN_TIPS);

  constructor(private readonly db: Database) {
    // One event-loop turn of gathering: the requests whose answers are ready in the same turn share
    // the write (on PGlite each statement costs ~0.6 ms of CPU however few its rows).
    this.commits = new GroupCommit(
      (records) => this.insert(records),
      () => new Promise<void>((resolve) => setImmediate(resolve)),
    );
  }

  /**
   * Appends all records atomically: either the whole request is on the record or none of it is.
   * Resolves once committed. Records other requests append meanwhile share the transaction; if it
   * fails, each request's records are written on their own, so one cannot fail another.
   */
  append(records: readonly AccessRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return this.commits.add(records);
  }

  /**
   * Writes a batch of many people's records, all or nothing. When this instance knows every
   * person's tip (it wrote their last record), one statement chains after them; otherwise, or if
   * another instance moved a head meanwhile, one transaction locks the heads in sorted order,
   * chains after what they say, inserts the rows and moves the heads.
   */
  private async insert(records: readonly AccessRecord[]): Promise<void> {
    const userIds = [...new Set(records.map((r) => r.userId))].sort();
    if (userIds.every((id) => this.knownTips.has(id))) {
      try {
        const was = new Map(userIds.map((id) => [id, this.knownTips.get(id)!]));
        const { columns, tips } = chained(records, was);
        const rows = columns[0]!.length;
        if (rows === 1) {
          const tip = tips.get(userIds[0]!)!;
          const row = [...columns.slice(0, SHARED_COLUMNS.length).map((column) => column[0]), ...columns.slice(ROW_COLUMNS.length)];
          await this.db.query(APPEND_ROW_AFTER_KNOWN_TIP, [...row, tip.seq, tip.hash, was.get(userIds[0]!)!.seq], {
            prepareAs: "access_log_append_row_after_known_tip",
          });
        } else {
          await this.db.query(APPEND_AFTER_KNOWN_TIPS, [...columns, ...tipColumns(tips), userIds.map((id) => was.get(id)!.seq), userIds.length], {
            prepareAs: "access_log_append_after_known_tips",
          });
        }
        this.remember(tips);
        return;
      } catch (error) {
        if (!HEAD_MOVED.test(String((error as Error).message))) throw error;
      }
    }
    const tips = await this.db.transaction(async (tx) => {
      const heads = await tx.query<{ user_id: string; seq: number | bigint; hash: string }>(LOCK_HEADS, [userIds, GENESIS_HASH], {
        prepareAs: "access_log_lock_heads",
      });
      const batch = chained(records, new Map(heads.map((h) => [h.user_id, { seq: Number(h.seq), hash: h.hash }])));
      await tx.query(APPEND_LOCKED, [...batch.columns, ...tipColumns(batch.tips)], { prepareAs: "access_log_append_locked" });
      return batch.tips;
    });
    this.remember(tips);
  }

  private remember(tips: ReadonlyMap<string, ChainTip>): void {
    for (const [userId, tip] of tips) this.knownTips.set(userId, tip);
  }

  /** A user's access log, newest first, keyset-paginated. Only ever that user's entries. */
  async listForUser(userId: string, args: PageArgs): Promise<Page<AccessLogEntry>> {
    const { limit, after } = readPageArgs(CURSOR_KIND, args);
    const perRow = BigInt(RECORDS_PER_ROW);
    const rows = await this.db.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM ${RECORDS}
       WHERE a.user_id = $1 AND ($2::bigint IS NULL OR a.id <= $2) AND ($2::bigint IS NULL OR a.id < $2 OR r.ord <= $3::integer)
       ORDER BY a.id DESC, r.ord DESC LIMIT $4`,
      [userId, after === null ? null : (after / perRow).toString(), after === null ? null : Number(after % perRow), limit + 1],
    );
    const entries = rows.map((row) => ({ ...row, id: position(row.row_id, Number(row.ord) - 1) }));
    return toPage(CURSOR_KIND, entries, limit, toEntry);
  }

  /**
   * A user's chained records after `afterSeq`, in chain order, at most `limit`: what a verifier
   * reads. Records are returned as stored — a removed one is simply missing — so the verifier sees
   * the gap. The rows read start at the one holding record afterSeq + 1 (the last to start at or
   * before it), so a page may begin inside a row.
   */
  async readChain(userId: string, afterSeq: number, limit: number): Promise<ChainedAccessRecord[]> {
    const rows = await this.db.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM ${RECORDS}
       WHERE a.user_id = $1 AND a.first_seq + r.ord - 1 > $2
         AND a.first_seq >= coalesce((SELECT max(first_seq) FROM access_log WHERE user_id = $1 AND first_seq <= $2), 0)
       ORDER BY a.first_seq, r.ord LIMIT $3`,
      [userId, afterSeq, limit],
    );
    return rows.map((row) => ({ ...toRecord(row), seq: Number(row.seq), prevHash: row.prev_hash ?? "", hash: row.hash ?? "" }));
  }

  /** The user's chain tip as the store keeps it; null before their first chained record. */
  async head(userId: string): Promise<ChainTip | null> {
    const [row] = await this.db.query<{ seq: number | bigint; hash: string }>("SELECT seq, hash FROM access_log_heads WHERE user_id = $1", [userId]);
    return row ? { seq: Number(row.seq), hash: row.hash } : null;
  }
}
