/**
 * Signed consent receipts as stored (migration 008): insert-only. Written only by the receipt
 * issuer (src/receipts/), in the transaction that makes the consent change it records; read by
 * the person's pages and GraphQL. No method deletes or changes a receipt: they are kept at least
 * three years (CFPB 12 CFR 1033.441), also after the person unlinks the bank.
 */
import type { Queryable } from "./database.js";
import { isUuid } from "./uuid.js";

/** One stored receipt: the compact JWS and the columns it is found by. */
export interface StoredConsentReceipt {
  id: string;
  consentId: string;
  userId: string;
  clientId: string;
  /** The lifecycle change it records: AUTHORIZED, RENEWED, REVOKED or EXPIRED. */
  event: string;
  issuedAt: Date;
  /** The signing key's id (the JWS header's `kid`). */
  kid: string;
  jws: string;
}

interface Row {
  id: string;
  consent_id: string;
  user_id: string;
  client_id: string;
  event: string;
  issued_at: Date;
  kid: string;
  jws: string;
}

const toReceipt = (row: Row): StoredConsentReceipt => ({
  id: row.id,
  consentId: row.consent_id,
  userId: row.user_id,
  clientId: row.client_id,
  event: row.event,
  issuedAt: row.issued_at,
  kid: row.kid,
  jws: row.jws,
});

/** Inserts and reads receipts. Pass a transaction as `db` to take part in it. */
export class ConsentReceiptRepository {
  constructor(private readonly db: Queryable) {}

  async insert(receipt: StoredConsentReceipt): Promise<void> {
    await this.db.query(
      `INSERT INTO consent_receipts (id, consent_id, user_id, client_id, event, issued_at, kid, jws)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [receipt.id, receipt.consentId, receipt.userId, receipt.clientId, receipt.event, receipt.issuedAt, receipt.kid, receipt.jws],
    );
  }

  /** The receipts of one of the user's consents, oldest first; empty for another user's consent. */
  async listForConsent(consentId: string, userId: string): Promise<StoredConsentReceipt[]> {
    if (!isUuid(consentId)) return [];
    const rows = await this.db.query<Row>("SELECT * FROM consent_receipts WHERE consent_id = $1 AND user_id = $2 ORDER BY seq", [consentId, userId]);
    return rows.map(toReceipt);
  }

  /** The receipts of many consents of one user at once (GraphQL lists), oldest first. */
  async listForConsents(consentIds: readonly string[], userId: string): Promise<StoredConsentReceipt[]> {
    const ids = consentIds.filter(isUuid);
    if (ids.length === 0) return [];
    const rows = await this.db.query<Row>("SELECT * FROM consent_receipts WHERE consent_id = ANY($1::uuid[]) AND user_id = $2 ORDER BY seq", [ids, userId]);
    return rows.map(toReceipt);
  }

  /** One receipt of one of the user's consents, or null (missing, another consent's, another user's). */
  async findForConsent(receiptId: string, consentId: string, userId: string): Promise<StoredConsentReceipt | null> {
    if (!isUuid(receiptId) || !isUuid(consentId)) return null;
    const rows = await this.db.query<Row>("SELECT * FROM consent_receipts WHERE id = $1 AND consent_id = $2 AND user_id = $3", [receiptId, consentId, userId]);
    return rows[0] ? toReceipt(rows[0]) : null;
  }
}
