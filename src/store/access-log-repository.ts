/**
 * The access log: one row per (request, link, scope) the gateway read for a client. The caller
 * awaits `append` before the response leaves, so a read the user can see happened is on the record.
 */
import type { Database } from "./database.js";
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

const COLUMNS = [
  "user_id", "client_id", "link_id", "institution_id", "consent_id",
  "scope", "purpose", "operation_name", "request_id", "at",
] as const;
/** Rows per INSERT: keeps the bind parameters far below PostgreSQL's limit of 65535. */
const ROWS_PER_STATEMENT = 1000;
const CURSOR_KIND = "access_log";

const values = (r: AccessRecord): unknown[] => [
  r.userId, r.clientId, r.linkId, r.institutionId, r.consentId,
  r.scope, r.purpose, r.operationName, r.requestId, r.at,
];

/** Appends to and pages through the access log. */
export class AccessLogRepository {
  constructor(private readonly db: Database) {}

  /**
   * Appends all records atomically (one multi-row INSERT per 1000 records, one transaction):
   * either the whole request is on the record or none of it is. Resolves once committed.
   */
  async append(records: readonly AccessRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (let start = 0; start < records.length; start += ROWS_PER_STATEMENT) {
        const chunk = records.slice(start, start + ROWS_PER_STATEMENT);
        const tuples = chunk.map(
          (_, row) => `(${COLUMNS.map((__, col) => `$${row * COLUMNS.length + col + 1}`).join(", ")})`,
        );
        await tx.query(`INSERT INTO access_log (${COLUMNS.join(", ")}) VALUES ${tuples.join(", ")}`, chunk.flatMap(values));
      }
    });
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
