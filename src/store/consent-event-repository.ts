/**
 * The append-only consent history. Written only by ConsentService, in the transaction that makes
 * the change it records.
 */
import type { Consent, ConsentActor, ConsentChange, ConsentEventType } from "../domain/consent.js";
import type { Queryable } from "./database.js";
import { readPageArgs, toPage, type Page, type PageArgs } from "./pagination.js";
import { isUuid } from "./uuid.js";

/** One recorded lifecycle change. */
export interface ConsentEvent {
  /** Increasing in the order events were written. */
  id: number;
  consentId: string;
  userId: string;
  clientId: string;
  linkId: string;
  type: ConsentEventType;
  actor: ConsentActor;
  at: Date;
  detail: Record<string, unknown>;
}

interface ConsentEventRow {
  id: number;
  consent_id: string;
  user_id: string;
  client_id: string;
  link_id: string;
  type: string;
  actor: string;
  at: Date;
  detail: Record<string, unknown>;
}

const toEvent = (row: ConsentEventRow): ConsentEvent => ({
  id: Number(row.id),
  consentId: row.consent_id,
  userId: row.user_id,
  clientId: row.client_id,
  linkId: row.link_id,
  type: row.type as ConsentEventType,
  actor: row.actor as ConsentActor,
  at: row.at,
  detail: row.detail,
});

const CURSOR_KIND = "consent_event";

/** Appends and lists consent events. Pass a transaction as `db` to take part in it. */
export class ConsentEventRepository {
  constructor(private readonly db: Queryable) {}

  /** Records `change` against `consent`. */
  async append(consent: Consent, change: ConsentChange): Promise<ConsentEvent> {
    const rows = await this.db.query<ConsentEventRow>(
      `INSERT INTO consent_events (consent_id, user_id, client_id, link_id, type, actor, at, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) RETURNING *`,
      [consent.id, consent.userId, consent.clientId, consent.linkId, change.type, change.actor, change.at, JSON.stringify(change.detail)],
    );
    return toEvent(rows[0]!);
  }

  /**
   * A user's events in the order they happened (oldest first), optionally for one consent,
   * keyset-paginated.
   */
  async listForUser(userId: string, args: PageArgs & { consentId?: string }): Promise<Page<ConsentEvent>> {
    const { limit, after } = readPageArgs(CURSOR_KIND, args);
    if (args.consentId !== undefined && !isUuid(args.consentId)) return { items: [], hasNextPage: false, endCursor: null };
    const rows = await this.db.query<ConsentEventRow>(
      `SELECT * FROM consent_events
       WHERE user_id = $1 AND ($2::uuid IS NULL OR consent_id = $2) AND ($3::bigint IS NULL OR id > $3)
       ORDER BY id LIMIT $4`,
      [userId, args.consentId ?? null, after?.toString() ?? null, limit + 1],
    );
    return toPage(CURSOR_KIND, rows, limit, toEvent);
  }

  /** The consent's first event of this type (e.g. its authorization, which names the disclosure seen), or null. */
  async firstOfType(consentId: string, type: ConsentEventType): Promise<ConsentEvent | null> {
    if (!isUuid(consentId)) return null;
    const rows = await this.db.query<ConsentEventRow>("SELECT * FROM consent_events WHERE consent_id = $1 AND type = $2 ORDER BY id LIMIT 1", [
      consentId,
      type,
    ]);
    return rows[0] ? toEvent(rows[0]) : null;
  }
}
