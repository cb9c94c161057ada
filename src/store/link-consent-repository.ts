/**
 * The one store read a request's consent decisions start from: the user's live links and the
 * calling client's consents on them, in a single statement. On PGlite every statement costs
 * ~1 ms of CPU, and a request needs both (the links to reach a bank, the consents to decide), so
 * they come together. The gateway keeps what this reads between requests only while no write to the
 * person's links or consents committed on any instance (src/consent/grants-cache.ts).
 */
import type { Consent } from "../domain/consent.js";
import type { Link } from "../domain/link.js";
import { toConsent, type ConsentRow } from "./consent-repository.js";
import type { Queryable } from "./database.js";
import { toLink, type LinkRow } from "./link-repository.js";

/** A user's live links, oldest first, and one client's consents on them, newest first. */
export interface LinksWithConsents {
  links: Link[];
  consents: Consent[];
}

const CONSENT_COLUMNS: ReadonlyArray<keyof ConsentRow> = [
  "id",
  "user_id",
  "client_id",
  "link_id",
  "scopes",
  "purpose",
  "status",
  "history_days",
  "duration_days",
  "requested_at",
  "authorized_at",
  "expires_at",
  "decided_at",
  "revoked_at",
  "revoked_by",
];
/** Consent columns come prefixed, beside the link's own. */
const PREFIX = "consent_";

// One row per (link, consent), or one row with NULL consent columns for a link without any: the
// same rows `LinkRepository.listForUser` and `ConsentRepository.listForUser` (narrowed to the
// client and to these links) give, in their orders. Plain SQL shared by PGlite and PostgreSQL.
const SQL = `SELECT l.*, ${CONSENT_COLUMNS.map((c) => `c.${c} AS ${PREFIX}${c}`).join(", ")}
  FROM links l
  LEFT JOIN consents c ON c.link_id = l.id AND c.user_id = $1 AND c.client_id = $2
  WHERE l.user_id = $1 AND l.status <> 'REVOKED'
  ORDER BY l.created_at, l.id, c.requested_at DESC, c.id DESC`;

/** Reads a request's links and consents. Pass a transaction as `db` to take part in it. */
export class LinkConsentRepository {
  constructor(private readonly db: Queryable) {}

  /** The user's live (non-revoked) links and `clientId`'s consents on them. */
  async listForUser(userId: string, clientId: string): Promise<LinksWithConsents> {
    const rows = await this.db.query<Record<string, unknown>>(SQL, [userId, clientId]);
    const links: Link[] = [];
    const consents: Consent[] = [];
    for (const row of rows) {
      if (links.at(-1)?.id !== row["id"]) links.push(toLink(row as unknown as LinkRow));
      if (row[`${PREFIX}id`] == null) continue;
      const consent = Object.fromEntries(CONSENT_COLUMNS.map((c) => [c, row[`${PREFIX}${c}`]])) as unknown as ConsentRow;
      consents.push(toConsent(consent));
    }
    return { links, consents };
  }
}
