/**
 * Rows of `consents`. No rules here: the lifecycle (src/consent/lifecycle.ts) decides, this stores.
 */
import type { Consent, ConsentActor, ConsentStatus, ConsentPurpose, Scope } from "../domain/consent.js";
import type { Queryable } from "./database.js";
import { isUuid } from "./uuid.js";

/** A `consents` row as the driver returns it. */
export interface ConsentRow {
  id: string;
  user_id: string;
  client_id: string;
  link_id: string;
  scopes: string[];
  purpose: string;
  status: string;
  history_days: number | null;
  duration_days: number;
  requested_at: Date;
  authorized_at: Date | null;
  expires_at: Date | null;
  decided_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
}

// The CHECK constraints in the migration guarantee these casts.
export const toConsent = (row: ConsentRow): Consent => ({
  id: row.id,
  userId: row.user_id,
  clientId: row.client_id,
  linkId: row.link_id,
  scopes: row.scopes as Scope[],
  purpose: row.purpose as ConsentPurpose,
  status: row.status as ConsentStatus,
  historyDays: row.history_days,
  durationDays: row.duration_days,
  requestedAt: row.requested_at,
  authorizedAt: row.authorized_at,
  expiresAt: row.expires_at,
  decidedAt: row.decided_at,
  revokedAt: row.revoked_at,
  revokedBy: row.revoked_by as ConsentActor | null,
});

/** Newest request first; id breaks ties so the order never depends on the plan. */
const NEWEST_FIRST = "ORDER BY requested_at DESC, id DESC";

/**
 * Reads and writes consents. Pass a transaction as `db` to take part in it. Every write RETURNs the
 * `user_id` it touched: that is how the grant watch knows whose kept grants to drop (grant-writes.ts).
 */
export class ConsentRepository {
  constructor(private readonly db: Queryable) {}

  /** Stores a new consent. */
  async insert(c: Consent): Promise<void> {
    await this.db.query(
      `INSERT INTO consents (id, user_id, client_id, link_id, scopes, purpose, status, history_days,
         duration_days, requested_at, authorized_at, expires_at, decided_at, revoked_at, revoked_by)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING user_id`,
      [
        c.id,
        c.userId,
        c.clientId,
        c.linkId,
        c.scopes,
        c.purpose,
        c.status,
        c.historyDays,
        c.durationDays,
        c.requestedAt,
        c.authorizedAt,
        c.expiresAt,
        c.decidedAt,
        c.revokedAt,
        c.revokedBy,
      ],
    );
  }

  /** Writes a consent's mutable fields (status and lifecycle timestamps). */
  async update(c: Consent): Promise<void> {
    await this.db.query(
      `UPDATE consents SET status = $2, authorized_at = $3, expires_at = $4, decided_at = $5,
         revoked_at = $6, revoked_by = $7 WHERE id = $1 RETURNING user_id`,
      [c.id, c.status, c.authorizedAt, c.expiresAt, c.decidedAt, c.revokedAt, c.revokedBy],
    );
  }

  /**
   * The consent if it belongs to `userId`, else null (foreign = missing). With `lock`, the row
   * stays locked until the transaction ends, so two changes to one consent cannot interleave.
   */
  async findForUser(id: string, userId: string, options: { lock?: boolean } = {}): Promise<Consent | null> {
    if (!isUuid(id)) return null;
    const rows = await this.db.query<ConsentRow>(`SELECT * FROM consents WHERE id = $1 AND user_id = $2 ${options.lock ? "FOR UPDATE" : ""}`, [id, userId]);
    return rows[0] ? toConsent(rows[0]) : null;
  }

  /**
   * Every consent of one (client, link), newest first, row-locked until the transaction ends
   * (`FOR UPDATE`): authorizing and superseding within a pair are serialized across instances.
   */
  async lockPair(clientId: string, linkId: string): Promise<Consent[]> {
    const rows = await this.db.query<ConsentRow>(`SELECT * FROM consents WHERE client_id = $1 AND link_id = $2 ${NEWEST_FIRST} FOR UPDATE`, [clientId, linkId]);
    return rows.map(toConsent);
  }

  /** A user's consents, newest first, optionally narrowed to a client and/or a link. */
  async listForUser(userId: string, filter: { clientId?: string; linkId?: string } = {}): Promise<Consent[]> {
    if (filter.linkId !== undefined && !isUuid(filter.linkId)) return [];
    const rows = await this.db.query<ConsentRow>(
      `SELECT * FROM consents WHERE user_id = $1
         AND ($2::text IS NULL OR client_id = $2) AND ($3::uuid IS NULL OR link_id = $3)
       ${NEWEST_FIRST}`,
      [userId, filter.clientId ?? null, filter.linkId ?? null],
    );
    return rows.map(toConsent);
  }

  /** {@link listForUser} with a client filter for many (user, client) pairs in one query: every pair's consents, newest first. */
  async listForUserClients(pairs: ReadonlyArray<{ userId: string; clientId: string }>): Promise<Consent[]> {
    if (pairs.length === 0) return [];
    const rows = await this.db.query<ConsentRow>(
      `SELECT c.* FROM consents c JOIN unnest($1::text[], $2::text[]) AS p(user_id, client_id)
         ON c.user_id = p.user_id AND c.client_id = p.client_id
       ORDER BY c.requested_at DESC, c.id DESC`,
      [pairs.map((p) => p.userId), pairs.map((p) => p.clientId)],
    );
    return rows.map(toConsent);
  }

  /** How many consents of any app still grant access to the link at `now` (AUTHORIZED, not yet expired). */
  async countLiveForLink(linkId: string, now: Date): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM consents WHERE link_id = $1 AND status = 'AUTHORIZED' AND expires_at > $2`,
      [linkId, now],
    );
    return Number(row?.n ?? 0);
  }

  /** Open (AWAITING or AUTHORIZED) consents of a user's link, row-locked. */
  async lockOpenForLink(linkId: string, userId: string): Promise<Consent[]> {
    if (!isUuid(linkId)) return [];
    const rows = await this.db.query<ConsentRow>(
      `SELECT * FROM consents WHERE link_id = $1 AND user_id = $2
         AND status IN ('AWAITING_AUTHORIZATION', 'AUTHORIZED') ${NEWEST_FIRST} FOR UPDATE`,
      [linkId, userId],
    );
    return rows.map(toConsent);
  }

  /**
   * Up to `limit` consents whose stored status lags the clock (AUTHORIZED past `now`, AWAITING
   * requested at or before `awaitingRequestedBy`), locked; rows another sweeper holds are skipped.
   */
  async lockDue(now: Date, awaitingRequestedBy: Date, limit: number): Promise<Consent[]> {
    const rows = await this.db.query<ConsentRow>(
      `SELECT * FROM consents
       WHERE (status = 'AUTHORIZED' AND expires_at <= $1)
          OR (status = 'AWAITING_AUTHORIZATION' AND requested_at <= $2)
       ORDER BY requested_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`,
      [now, awaitingRequestedBy, limit],
    );
    return rows.map(toConsent);
  }
}
