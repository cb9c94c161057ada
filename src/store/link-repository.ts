/**
 * Persistence of links (a user's authorization at one institution). The authorization itself
 * happens at the bank (src/links/bank-oauth/); this stores its outcome: status, the bank's
 * tokens (encrypted), its grant id, the chosen accounts and the grant's end.
 */
import { randomUUID } from "node:crypto";
import { systemClock, type Clock } from "../clock.js";
import { ErrorCode, GatewayError } from "../errors.js";
import { LinkStatus, type Link } from "../domain/link.js";
import type { Queryable } from "./database.js";
import { isUuid } from "./uuid.js";

/** A `links` row as the driver returns it. */
export interface LinkRow {
  id: string;
  user_id: string;
  institution_id: string;
  status: LinkStatus;
  access_token_ciphertext: string | null;
  access_token_expires_at: Date | null;
  refresh_token_ciphertext: string | null;
  bank_grant_id: string | null;
  account_ids: string[] | null;
  grant_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The domain link of a `links` row. */
export const toLink = (row: LinkRow): Link => ({
  id: row.id,
  userId: row.user_id,
  institutionId: row.institution_id,
  status: row.status,
  accessTokenCiphertext: row.access_token_ciphertext,
  accessTokenExpiresAt: row.access_token_expires_at,
  refreshTokenCiphertext: row.refresh_token_ciphertext,
  bankGrantId: row.bank_grant_id,
  accountIds: row.account_ids,
  grantExpiresAt: row.grant_expires_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const UNIQUE_VIOLATION = "23505";

/** What a bank authorization leaves on the link (token ciphertexts from `TokenCipher`). */
export interface StoredBankGrant {
  accessTokenCiphertext: string;
  accessTokenExpiresAt?: Date | null;
  refreshTokenCiphertext?: string | null;
  bankGrantId?: string | null;
  accountIds?: readonly string[] | null;
  grantExpiresAt?: Date | null;
}

/** A grant given as a bare access-token ciphertext (store tests, fixtures): no refresh token, no expiry. */
const grantOf = (grant: StoredBankGrant | string): StoredBankGrant => (typeof grant === "string" ? { accessTokenCiphertext: grant } : grant);

/** The grant's columns after the fixed ones, as query parameters in column order. */
const grantParams = (grant: StoredBankGrant) => [
  grant.accessTokenCiphertext,
  grant.accessTokenExpiresAt ?? null,
  grant.refreshTokenCiphertext ?? null,
  grant.bankGrantId ?? null,
  grant.accountIds ? [...grant.accountIds] : null,
  grant.grantExpiresAt ?? null,
];

/**
 * Reads and writes links. Pass a transaction as `db` to take part in it. Every write RETURNs the row
 * (its `user_id` included): that is how the grant watch knows whose kept grants to drop (grant-writes.ts).
 */
export class LinkRepository {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Stores a new ACTIVE link. Throws CONFLICT when the user already has a live (non-revoked)
   * link to the institution: re-login goes through {@link LinkRepository.reactivate} instead.
   */
  async create(userId: string, institutionId: string, grant: StoredBankGrant | string): Promise<Link> {
    const now = this.clock.now();
    try {
      const rows = await this.db.query<LinkRow>(
        `INSERT INTO links (id, user_id, institution_id, status, created_at, updated_at, access_token_ciphertext, access_token_expires_at,
           refresh_token_ciphertext, bank_grant_id, account_ids, grant_expires_at)
         VALUES ($1, $2, $3, 'ACTIVE', $4, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
        [randomUUID(), userId, institutionId, now, ...grantParams(grantOf(grant))],
      );
      return toLink(rows[0]!);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new GatewayError(ErrorCode.CONFLICT, `A link to ${institutionId} already exists for this user`, {
          institutionId,
        });
      }
      throw error;
    }
  }

  /** The link, whoever owns it, or null. For system paths (webhooks); user paths use {@link forUser}. */
  async findById(id: string): Promise<Link | null> {
    if (!isUuid(id)) return null;
    const rows = await this.db.query<LinkRow>("SELECT * FROM links WHERE id = $1", [id]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  /** The link if it belongs to `userId`, else null — a foreign link reads exactly like a missing one. */
  async forUser(id: string, userId: string): Promise<Link | null> {
    if (!isUuid(id)) return null;
    const rows = await this.db.query<LinkRow>("SELECT * FROM links WHERE id = $1 AND user_id = $2", [id, userId]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  /** The user's live (non-revoked) link to an institution, or null. */
  async findLive(userId: string, institutionId: string): Promise<Link | null> {
    const rows = await this.db.query<LinkRow>("SELECT * FROM links WHERE user_id = $1 AND institution_id = $2 AND status <> 'REVOKED'", [
      userId,
      institutionId,
    ]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  /** The user's links, oldest first; revoked ones only when asked. */
  async listForUser(userId: string, options: { includeRevoked?: boolean } = {}): Promise<Link[]> {
    const { includeRevoked = false } = options;
    const rows = await this.db.query<LinkRow>(
      `SELECT * FROM links WHERE user_id = $1 ${includeRevoked ? "" : "AND status <> 'REVOKED'"}
       ORDER BY created_at, id`,
      [userId],
    );
    return rows.map(toLink);
  }

  /**
   * Moves a live link between ACTIVE and LOGIN_REQUIRED. Returns null when the link is missing
   * or already REVOKED (revocation is final; use {@link revoke} to revoke).
   */
  async setStatus(id: string, status: LinkStatus.ACTIVE | LinkStatus.LOGIN_REQUIRED): Promise<Link | null> {
    if (!isUuid(id)) return null;
    const rows = await this.db.query<LinkRow>("UPDATE links SET status = $2, updated_at = $3 WHERE id = $1 AND status <> 'REVOKED' RETURNING *", [
      id,
      status,
      this.clock.now(),
    ]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  /** After a new authorization at the bank: the new grant replaces the old, ACTIVE again. Null when missing or REVOKED. */
  async reactivate(id: string, grant: StoredBankGrant | string): Promise<Link | null> {
    if (!isUuid(id)) return null;
    const rows = await this.db.query<LinkRow>(
      `UPDATE links SET status = 'ACTIVE', updated_at = $2, access_token_ciphertext = $3, access_token_expires_at = $4,
         refresh_token_ciphertext = $5, bank_grant_id = $6, account_ids = $7, grant_expires_at = $8
       WHERE id = $1 AND status <> 'REVOKED' RETURNING *`,
      [id, this.clock.now(), ...grantParams(grantOf(grant))],
    );
    return rows[0] ? toLink(rows[0]) : null;
  }

  /**
   * The live link at `institutionId` holding the bank grant `bankGrantId` (the `grant_id` the bank
   * names in its security events), its row locked until the transaction ends; null when none.
   */
  async lockLiveByBankGrant(institutionId: string, bankGrantId: string): Promise<Link | null> {
    const rows = await this.db.query<LinkRow>("SELECT * FROM links WHERE institution_id = $1 AND bank_grant_id = $2 AND status <> 'REVOKED' FOR UPDATE", [
      institutionId,
      bankGrantId,
    ]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  /**
   * The live link, its row locked until the transaction ends (`SELECT … FOR UPDATE`): the one
   * refresh of its bank tokens across all instances happens under this lock. Only inside a transaction.
   */
  async lockLive(id: string): Promise<Link | null> {
    if (!isUuid(id)) return null;
    const rows = await this.db.query<LinkRow>("SELECT * FROM links WHERE id = $1 AND status <> 'REVOKED' FOR UPDATE", [id]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  /** After a refresh: the new access token (and the rotated refresh token, when the bank rotated it). Null when missing or REVOKED. */
  async saveRefreshedTokens(
    id: string,
    tokens: { accessTokenCiphertext: string; accessTokenExpiresAt: Date | null; refreshTokenCiphertext: string | null },
  ): Promise<Link | null> {
    if (!isUuid(id)) return null;
    const rows = await this.db.query<LinkRow>(
      `UPDATE links SET access_token_ciphertext = $2, access_token_expires_at = $3,
         refresh_token_ciphertext = COALESCE($4, refresh_token_ciphertext), updated_at = $5
       WHERE id = $1 AND status <> 'REVOKED' RETURNING *`,
      [id, tokens.accessTokenCiphertext, tokens.accessTokenExpiresAt, tokens.refreshTokenCiphertext, this.clock.now()],
    );
    return rows[0] ? toLink(rows[0]) : null;
  }

  /**
   * Revokes the link and drops its token. Idempotent: revoking a revoked link returns it unchanged.
   * Null when missing. Revoke the link's consents in the same transaction (ConsentService.revokeAllForLink).
   */
  async revoke(id: string): Promise<Link | null> {
    if (!isUuid(id)) return null;
    const rows = await this.db.query<LinkRow>(
      `UPDATE links SET status = 'REVOKED', access_token_ciphertext = NULL, refresh_token_ciphertext = NULL, updated_at = $2
       WHERE id = $1 AND status <> 'REVOKED' RETURNING *`,
      [id, this.clock.now()],
    );
    return rows[0] ? toLink(rows[0]) : this.findById(id);
  }
}
