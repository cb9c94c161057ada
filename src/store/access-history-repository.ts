/**
 * The access log as the person reads it on /connections: when each consent was last used, one
 * consent's reads a page at a time (one entry per request: when, which data, which operation),
 * and how many reads each app made per day. Read-only; `AccessLogRepository` writes the log.
 * Every query is narrowed to the person's own `user_id` first.
 */
import type { Database } from "./database.js";
import { decodeCursor, encodeCursor } from "./pagination.js";
import { isUuid } from "./uuid.js";

/** One request an app made under a consent: the scopes it read and the operation it named. */
export interface AccessHistoryEntry {
  at: Date;
  scopes: string[];
  operationName: string | null;
}

/** A page of history, newest first, with keyset cursors both ways (null when there is no such page). */
export interface AccessHistoryPage {
  entries: AccessHistoryEntry[];
  /** Cursor of the next, older page. */
  older: string | null;
  /** Cursor of the previous, newer page. */
  newer: string | null;
}

/** Which way a page is asked for: the first page, older than a cursor, or newer than one. */
export type HistoryPosition = { older?: string | null; newer?: string | null };

/** Reads a day's reads per app: `day` is the person's calendar day (YYYY-MM-DD in their time zone). */
export interface DailyReads {
  clientId: string;
  day: string;
  reads: number;
}

interface GroupRow {
  first_id: string | number;
  last_id: string | number;
  at: Date;
  scopes: string[];
  operation_name: string | null;
}

const CURSOR_KIND = "access_history";

export class AccessHistoryRepository {
  constructor(private readonly db: Database) {}

  /** When each of these consents (the person's) was last used to read data; absent = never. */
  async lastAccess(userId: string, consentIds: readonly string[]): Promise<Map<string, Date>> {
    const ids = consentIds.filter(isUuid);
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<{ consent_id: string; at: Date }>(
      `SELECT consent_id, max(at) AS at FROM access_log AS a CROSS JOIN LATERAL unnest(a.consent_ids) AS consent_id
       WHERE a.user_id = $1 AND a.consent_ids && $2::uuid[] AND consent_id = ANY($2::uuid[]) GROUP BY consent_id`,
      [userId, ids],
    );
    return new Map(rows.map((r) => [r.consent_id, new Date(r.at)]));
  }

  /**
   * One consent's reads, one entry per request, newest first, `size` at a time. A request's
   * records are one row (migration 020; its first and last id are those of the rows of the same
   * request id), so a page never splits one. The person's rows are read newest first by
   * access_log_by_user, keeping those whose consent_ids hold the consent: no index per consent,
   * which every append would pay for (migration 020 says why).
   * Throws BAD_USER_INPUT for a cursor we did not issue.
   */
  async forConsent(userId: string, consentId: string, size: number, position: HistoryPosition = {}): Promise<AccessHistoryPage> {
    if (!isUuid(consentId)) return { entries: [], older: null, newer: null };
    const newer = position.newer ? decodeCursor(CURSOR_KIND, position.newer) : null;
    const older = !newer && position.older ? decodeCursor(CURSOR_KIND, position.older) : null;
    const rows = await this.db.query<GroupRow>(
      `SELECT min(a.id) AS first_id, max(a.id) AS last_id, max(a.at) AS at, array_agg(DISTINCT r.scope) AS scopes, max(a.operation_name) AS operation_name
       FROM access_log AS a CROSS JOIN LATERAL unnest(a.consent_ids, a.scopes) AS r(consent_id, scope)
       WHERE a.user_id = $1 AND $2::uuid = ANY(a.consent_ids) AND r.consent_id = $2::uuid
         AND ($3::bigint IS NULL OR a.id < $3) AND ($4::bigint IS NULL OR a.id > $4)
       GROUP BY a.request_id ORDER BY min(a.id) ${newer ? "ASC" : "DESC"} LIMIT $5`,
      [userId, consentId, older?.toString() ?? null, newer?.toString() ?? null, size + 1],
    );
    const more = rows.length > size;
    const kept = rows.slice(0, size);
    if (newer) kept.reverse();
    const first = kept[0];
    const last = kept.at(-1);
    const hasOlder = newer ? true : more;
    const hasNewer = newer ? more : older !== null;
    return {
      entries: kept.map((r) => ({ at: new Date(r.at), scopes: r.scopes, operationName: r.operation_name })),
      older: hasOlder && last ? encodeCursor(CURSOR_KIND, BigInt(last.first_id)) : null,
      newer: hasNewer && first ? encodeCursor(CURSOR_KIND, BigInt(first.last_id)) : null,
    };
  }

  /**
   * Reads (requests) per app per day since `since`, days counted in `timeZone` (an IANA name). A
   * row is one request's records, which share client_id, request_id and `at`: counting rows' request ids counts the same.
   */
  async readsPerDay(userId: string, since: Date, timeZone: string): Promise<DailyReads[]> {
    const rows = await this.db.query<{ client_id: string; day: string; reads: string | number }>(
      `SELECT client_id, to_char((at AT TIME ZONE $3)::date, 'YYYY-MM-DD') AS day, count(DISTINCT request_id) AS reads
       FROM access_log WHERE user_id = $1 AND at >= $2 GROUP BY 1, 2 ORDER BY 1, 2`,
      [userId, since, timeZone],
    );
    return rows.map((r) => ({ clientId: r.client_id, day: r.day, reads: Number(r.reads) }));
  }
}
