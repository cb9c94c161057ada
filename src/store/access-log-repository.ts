/**
 * The access log: one row per (request, link, scope) the gateway read for a client. The caller
 * awaits `append` before the response leaves, so a read the user can see happened is on the record.
 * Each person's rows form a hash chain (src/domain/access-record.ts, migration 009): appending
 * locks the person's head row, so every instance extends the one chain.
 */
import { chainAfter, GENESIS_HASH, type AccessRecord, type ChainedAccessRecord, type ChainTip } from "../domain/access-record.js";
import type { Database } from "./database.js";
import { GroupCommit } from "./group-commit.js";
import { readPageArgs, toPage, type Page, type PageArgs } from "./pagination.js";

export type { AccessRecord } from "../domain/access-record.js";

/** A stored access record. */
export interface AccessLogEntry extends AccessRecord {
  /** Increasing in write order; newest entries have the highest ids. */
  id: number;
  /** Its place in the person's hash chain; null for records written before the chain existed (migration 009). */
  chain: { seq: number; prevHash: string; hash: string } | null;
}

interface AccessLogRow {
  id: number;
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

const toRecord = (row: AccessLogRow): AccessRecord => ({
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

const toEntry = (row: AccessLogRow): AccessLogEntry => ({
  id: Number(row.id),
  ...toRecord(row),
  chain: row.seq === null || row.prev_hash === null || row.hash === null ? null : { seq: Number(row.seq), prevHash: row.prev_hash, hash: row.hash },
});

/** Columns and their SQL types, in the order `values` lists a record's fields. */
const COLUMNS = [
  ["user_id", "text"],
  ["client_id", "text"],
  ["link_id", "uuid"],
  ["institution_id", "text"],
  ["consent_id", "uuid"],
  ["scope", "text"],
  ["purpose", "text"],
  ["operation_name", "text"],
  ["request_id", "text"],
  ["at", "timestamptz"],
  ["seq", "bigint"],
  ["prev_hash", "text"],
  ["hash", "text"],
] as const;
const CURSOR_KIND = "access_log";
const SELECT_COLUMNS = `id, ${COLUMNS.map(([name]) => name).join(", ")}`;

const values = (r: ChainedAccessRecord): unknown[] => [
  r.userId,
  r.clientId,
  r.linkId,
  r.institutionId,
  r.consentId,
  r.scope,
  r.purpose,
  r.operationName,
  r.requestId,
  r.at.toISOString(),
  r.seq,
  r.prevHash,
  r.hash,
];

/**
 * Takes the row locks of the batch's people's chain heads and returns the heads. The ids come
 * sorted and the rows are inserted/updated in that order, so two batches lock their common people
 * in the same order and never deadlock; a person's first record creates the row (seq 0).
 * `DO UPDATE` (a no-op assignment) rather than `DO NOTHING`, because only an update locks an existing row.
 */
const LOCK_HEADS = `INSERT INTO access_log_heads (user_id, seq, hash)
  SELECT user_id, 0, $2 FROM unnest($1::text[]) AS user_id
  ON CONFLICT (user_id) DO UPDATE SET seq = access_log_heads.seq
  RETURNING user_id, seq, hash`;

/**
 * One statement for any number of rows: a parameter per column (an array of that column's
 * values), unnested into rows — cheaper to parse than a row of parameters per record, never near
 * PostgreSQL's limit of 65535 parameters — and, in the same statement, the heads moved to the new tips.
 */
const APPEND = `WITH appended AS (
    INSERT INTO access_log (${COLUMNS.map(([name]) => name).join(", ")})
    SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")})
  )
  UPDATE access_log_heads AS head SET seq = tip.seq, hash = tip.hash
  FROM unnest($${COLUMNS.length + 1}::text[], $${COLUMNS.length + 2}::bigint[], $${COLUMNS.length + 3}::text[]) AS tip(user_id, seq, hash)
  WHERE head.user_id = tip.user_id`;

/** Appends to and pages through the access log. */
export class AccessLogRepository {
  /** Concurrent requests' records go to the store together (one transaction per write, not per request). */
  private readonly commits: GroupCommit<AccessRecord>;

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
   * One transaction for a batch of many people's records: lock their heads (sorted), chain the
   * records in the order given, insert them and move the heads. A failure rolls all of it back.
   */
  private insert(records: readonly AccessRecord[]): Promise<void> {
    const userIds = [...new Set(records.map((r) => r.userId))].sort();
    return this.db.transaction(async (tx) => {
      const heads = await tx.query<{ user_id: string; seq: number | bigint; hash: string }>(LOCK_HEADS, [userIds, GENESIS_HASH]);
      const tips = new Map<string, ChainTip>(heads.map((h) => [h.user_id, { seq: Number(h.seq), hash: h.hash }]));
      const columns: unknown[][] = COLUMNS.map(() => []);
      for (const record of records) {
        const chained = chainAfter(tips.get(record.userId)!, record);
        tips.set(record.userId, { seq: chained.seq, hash: chained.hash });
        values(chained).forEach((value, i) => columns[i]!.push(value));
      }
      const moved = [...tips.entries()];
      await tx.query(APPEND, [...columns, moved.map(([userId]) => userId), moved.map(([, tip]) => tip.seq), moved.map(([, tip]) => tip.hash)]);
    });
  }

  /** A user's access log, newest first, keyset-paginated. Only ever that user's entries. */
  async listForUser(userId: string, args: PageArgs): Promise<Page<AccessLogEntry>> {
    const { limit, after } = readPageArgs(CURSOR_KIND, args);
    const rows = await this.db.query<AccessLogRow>(
      `SELECT ${SELECT_COLUMNS} FROM access_log WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [userId, after?.toString() ?? null, limit + 1],
    );
    return toPage(CURSOR_KIND, rows, limit, toEntry);
  }

  /**
   * A user's chained records after `afterSeq`, in chain order, at most `limit`: what a verifier
   * reads. Rows are returned as stored — a removed one is simply missing — so the verifier sees the gap.
   */
  async readChain(userId: string, afterSeq: number, limit: number): Promise<ChainedAccessRecord[]> {
    const rows = await this.db.query<AccessLogRow>(
      `SELECT ${SELECT_COLUMNS} FROM access_log WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
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
