/**
 * Server-side state of one bank authorization between `begin` and the bank's redirect back
 * (`bank_authorization_attempts`): who started it, at which bank, the SHA-256 of the `state` sent
 * to the bank, the encrypted PKCE verifier, the redirect URI and what was asked. Single use:
 * {@link BankAuthorizationAttemptRepository.consume} claims an attempt once, for its own user, before it expires.
 */
import { randomUUID } from "node:crypto";
import type { Scope } from "../domain/consent.js";
import type { Queryable } from "./database.js";

export interface NewBankAuthorizationAttempt {
  userId: string;
  institutionId: string;
  stateHash: string;
  codeVerifierCiphertext: string;
  redirectUri: string;
  scopes: readonly Scope[];
  historyDays?: number;
  grantExpiresAt: Date;
  bankGrantId?: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface BankAuthorizationAttempt extends NewBankAuthorizationAttempt {
  id: string;
  usedAt: Date | null;
}

interface AttemptRow {
  id: string;
  user_id: string;
  institution_id: string;
  state_hash: string;
  code_verifier_ciphertext: string;
  redirect_uri: string;
  scopes: Scope[];
  history_days: number | null;
  grant_expires_at: Date;
  bank_grant_id: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

const toAttempt = (row: AttemptRow): BankAuthorizationAttempt => ({
  id: row.id,
  userId: row.user_id,
  institutionId: row.institution_id,
  stateHash: row.state_hash,
  codeVerifierCiphertext: row.code_verifier_ciphertext,
  redirectUri: row.redirect_uri,
  scopes: row.scopes,
  ...(row.history_days !== null ? { historyDays: row.history_days } : {}),
  grantExpiresAt: row.grant_expires_at,
  ...(row.bank_grant_id !== null ? { bankGrantId: row.bank_grant_id } : {}),
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  usedAt: row.used_at,
});

/** Why an attempt could not be claimed (the caller turns it into a clear error). */
export type AttemptRefusal = "UNKNOWN" | "USED" | "EXPIRED";

export class BankAuthorizationAttemptRepository {
  constructor(private readonly db: Queryable) {}

  async create(attempt: NewBankAuthorizationAttempt): Promise<BankAuthorizationAttempt> {
    const rows = await this.db.query<AttemptRow>(
      `INSERT INTO bank_authorization_attempts (id, user_id, institution_id, state_hash, code_verifier_ciphertext, redirect_uri, scopes,
         history_days, grant_expires_at, bank_grant_id, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [
        randomUUID(),
        attempt.userId,
        attempt.institutionId,
        attempt.stateHash,
        attempt.codeVerifierCiphertext,
        attempt.redirectUri,
        [...attempt.scopes],
        attempt.historyDays ?? null,
        attempt.grantExpiresAt,
        attempt.bankGrantId ?? null,
        attempt.createdAt,
        attempt.expiresAt,
      ],
    );
    return toAttempt(rows[0]!);
  }

  /**
   * Claims the attempt with this state hash for `userId` at `now`: marks it used and returns it, or
   * says why not. Another person's attempt reads as UNKNOWN (and stays usable by its owner).
   */
  async consume(stateHash: string, userId: string, now: Date): Promise<BankAuthorizationAttempt | AttemptRefusal> {
    const claimed = await this.db.query<AttemptRow>(
      `UPDATE bank_authorization_attempts SET used_at = $3
       WHERE state_hash = $1 AND user_id = $2 AND used_at IS NULL AND expires_at > $3 RETURNING *`,
      [stateHash, userId, now],
    );
    if (claimed[0]) return toAttempt(claimed[0]);
    const [row] = await this.db.query<AttemptRow>("SELECT * FROM bank_authorization_attempts WHERE state_hash = $1 AND user_id = $2", [stateHash, userId]);
    if (!row) return "UNKNOWN";
    return row.used_at ? "USED" : "EXPIRED";
  }

  /** Forgets attempts that expired before `before` (used or not); returns how many. */
  async deleteExpired(before: Date): Promise<number> {
    const rows = await this.db.query<{ id: string }>("DELETE FROM bank_authorization_attempts WHERE expires_at < $1 RETURNING id", [before]);
    return rows.length;
  }
}
