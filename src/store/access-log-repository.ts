/**
 * The access log: one row per (request, link, scope) the gateway read for a client. The caller
 * awaits `append` before the response leaves, so a read the user can see happened is on the record.
 */
import type { Database } from "./database.js";
import { GroupCommit } from "./group-commit.js";
import { readPageArgs, toPage, type Page, type PageArgs } from "./pagination.js";

/** What the gateway read, for whom, under which consent. */
export interface AccessRecord {
  userId: string;
  clientId: string;
  linkId: string;
  institutionId: string;
  /** The consent that allowed the read; null only for a read no consent covers. */
  consentId: string | null;
  scope: string;
  purpose: string;
  operationName: string | null;
  requestId: string;
  at: Date;
}

/** A stored access record. */
export interface AccessLogEntry extends AccessRecord {
  /** Increasing in write order; newest entries have the highest ids. */
  id: number;
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
}

const toEntry = (row: AccessLogRow): AccessLogEntry => ({
  id: Number(row.id),
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
] as const;
const CURSOR_KIND = "access_log";

const values = (r: AccessRecord): unknown[] => [
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
];

/**
 * One statement for any number of rows: a parameter per column (an array of that column's
 * values), unnested into rows. Cheaper to parse than a row of parameters per record, never near
 * PostgreSQL's limit of 65535 parameters, and atomic without a transaction.
 */
const INSERT = `INSERT INTO access_log (${COLUMNS.map(([name]) => name).join(", ")})
  SELECT * FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(", ")})`;

/** Appends to and pages through the access log. */
export class AccessLogRepository {
  /** Concurrent requests' records go to the store together (one INSERT per write, not per request). */
  private readonly commits: GroupCommit<AccessRecord>;

  constructor(private readonly db: Database) {
    // One event-loop turn of gathering: the requests whose answers are ready in the same turn share
    // the INSERT (on PGlite each statement costs ~0.6 ms of CPU however few its rows).
    this.commits = new GroupCommit(
      (records) => this.insert(records),
      () => new Promise<void>((resolve) => setImmediate(resolve)),
    );
  }

  /**
   * Appends all records atomically: either the whole request is on the record or none of it is.
   * Resolves once committed. Records other requests append meanwhile share the statement; if that
   * statement fails, each request's records are written on their own, so one cannot fail another.
   */
  append(records: readonly AccessRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return this.commits.add(records);
  }

  private async insert(records: readonly AccessRecord[]): Promise<void> {
    const columns: unknown[][] = COLUMNS.map(() => []);
    for (const record of records) values(record).forEach((value, i) => columns[i]!.push(value));
    await this.db.query(INSERT, columns);
  }

  /** A user's access log, newest first, keyset-paginated. Only ever that user's entries. */
  async listForUser(userId: string, args: PageArgs): Promise<Page<AccessLogEntry>> {
    const { limit, after } = readPageArgs(CURSOR_KIND, args);
    const rows = await this.db.query<AccessLogRow>(
      `SELECT * FROM access_log WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [userId, after?.toString() ?? null, limit + 1],
    );
    return toPage(CURSOR_KIND, rows, limit, toEntry);
  }
}
