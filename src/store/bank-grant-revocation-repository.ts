/**
 * `bank_grant_revocations`: banks owed a "Bankgraph's grant for this link has ended" (migration 010).
 * Enqueuing MOVES the link's tokens into the row in the caller's transaction: from then on the
 * link has none (nothing refreshes or reads with a grant that is being revoked, and a new
 * authorization of the same bank cannot be revoked by mistake); the row's copy is erased once
 * the bank confirmed or the dispatcher gave up.
 */
import { randomUUID } from "node:crypto";
import type { Queryable } from "./database.js";
import { isUuid } from "./uuid.js";
import { OutboxRows, type OutboxRow } from "./outbox-rows.js";

/** One grant to revoke at a bank. */
export interface BankGrantRevocation extends OutboxRow {
  linkId: string;
  userId: string;
  institutionId: string;
  bankGrantId: string | null;
  accessTokenCiphertext: string | null;
  refreshTokenCiphertext: string | null;
  /** Why: LAST_CONSENT_ENDED or LINK_REMOVED. */
  reason: string;
  createdAt: Date;
}

/** The token columns erased once a row is done. */
export const REVOCATION_SECRETS = ["access_token_ciphertext", "refresh_token_ciphertext"] as const;

function toRevocation(raw: Record<string, unknown>): BankGrantRevocation {
  return {
    id: raw.id as string,
    attempts: raw.attempts as number,
    linkId: raw.link_id as string,
    userId: raw.user_id as string,
    institutionId: raw.institution_id as string,
    bankGrantId: (raw.bank_grant_id as string | null) ?? null,
    accessTokenCiphertext: (raw.access_token_ciphertext as string | null) ?? null,
    refreshTokenCiphertext: (raw.refresh_token_ciphertext as string | null) ?? null,
    reason: raw.reason as string,
    createdAt: raw.created_at as Date,
  };
}

export class BankGrantRevocationRepository {
  readonly rows: OutboxRows<BankGrantRevocation>;

  constructor(private readonly db: Queryable) {
    this.rows = new OutboxRows(db, "bank_grant_revocations", toRevocation);
  }

  /**
   * Moves the link's grant (its tokens and bank grant id) into a new row, due at once, and leaves
   * the link without tokens — LOGIN_REQUIRED when it was ACTIVE (a new consent then takes a new
   * authorization at the bank). Null when the link has no token left (already moved, or never had one).
   */
  async enqueueFromLink(linkId: string, reason: string, now: Date): Promise<string | null> {
    if (!isUuid(linkId)) return null;
    const [link] = await this.db.query(
      `SELECT user_id, institution_id, bank_grant_id, access_token_ciphertext, refresh_token_ciphertext FROM links WHERE id = $1 FOR UPDATE`,
      [linkId],
    );
    if (!link || (link.access_token_ciphertext === null && link.refresh_token_ciphertext === null)) return null;
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO bank_grant_revocations
         (id, link_id, user_id, institution_id, bank_grant_id, access_token_ciphertext, refresh_token_ciphertext, reason, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
      [id, linkId, link.user_id, link.institution_id, link.bank_grant_id, link.access_token_ciphertext, link.refresh_token_ciphertext, reason, now],
    );
    await this.db.query(
      `UPDATE links SET access_token_ciphertext = NULL, refresh_token_ciphertext = NULL,
         status = CASE WHEN status = 'ACTIVE' THEN 'LOGIN_REQUIRED' ELSE status END, updated_at = $2
       WHERE id = $1 RETURNING user_id`,
      [linkId, now],
    );
    return id;
  }

  /** Every row of one link, oldest first (tests, operators): never the tokens. */
  async listForLink(
    linkId: string,
  ): Promise<Array<{ id: string; reason: string; attempts: number; deliveredAt: Date | null; abandonedAt: Date | null; hasTokens: boolean }>> {
    const rows = await this.db.query(`SELECT * FROM bank_grant_revocations WHERE link_id = $1 ORDER BY created_at, id`, [linkId]);
    return rows.map((raw) => ({
      id: raw.id as string,
      reason: raw.reason as string,
      attempts: raw.attempts as number,
      deliveredAt: (raw.delivered_at as Date | null) ?? null,
      abandonedAt: (raw.abandoned_at as Date | null) ?? null,
      hasTokens: raw.access_token_ciphertext !== null || raw.refresh_token_ciphertext !== null,
    }));
  }
}
