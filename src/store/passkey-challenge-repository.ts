/**
 * Rows of `passkey_challenges` (migration 017): each challenge a browser was given, in the store so
 * that any gateway instance can check the answer. Taking one is a single UPDATE that marks it used,
 * so of two answers to one challenge (a replay, a double tap, two instances) exactly one gets it.
 */
import type { Queryable } from "./database.js";

export type ChallengePurpose = "ADD_PASSKEY" | "CONFIRM_PAYMENT";

export interface PasskeyChallenge {
  /** base64url: what the authenticator signs. */
  challenge: string;
  purpose: ChallengePurpose;
  userId: string;
  /** CONFIRM_PAYMENT only: the payment and the hash of the details the challenge is bound to. */
  paymentId: string | null;
  detailsSha256: string | null;
  nonce: string;
  createdAt: Date;
  expiresAt: Date;
}

interface Row {
  challenge: string;
  purpose: ChallengePurpose;
  user_id: string;
  payment_id: string | null;
  details_sha256: string | null;
  nonce: string;
  created_at: Date;
  expires_at: Date;
}

const toChallenge = (row: Row): PasskeyChallenge => ({
  challenge: row.challenge,
  purpose: row.purpose,
  userId: row.user_id,
  paymentId: row.payment_id,
  detailsSha256: row.details_sha256,
  nonce: row.nonce,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
});

export class PasskeyChallengeRepository {
  constructor(private readonly db: Queryable) {}

  /** Stores a new challenge (and sweeps the ones that expired). */
  async issue(challenge: PasskeyChallenge): Promise<void> {
    await this.db.query("DELETE FROM passkey_challenges WHERE expires_at <= $1", [challenge.createdAt]);
    await this.db.query(
      `INSERT INTO passkey_challenges (challenge, purpose, user_id, payment_id, details_sha256, nonce, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        challenge.challenge,
        challenge.purpose,
        challenge.userId,
        challenge.paymentId,
        challenge.detailsSha256,
        challenge.nonce,
        challenge.createdAt,
        challenge.expiresAt,
      ],
    );
  }

  /**
   * Takes the challenge if it was issued to this person for this purpose (and payment), is not used
   * and not expired at `now`: marks it used and returns it. Null otherwise (nothing changes).
   */
  async take(
    challenge: string,
    expected: { userId: string; purpose: ChallengePurpose; paymentId: string | null },
    now: Date,
  ): Promise<PasskeyChallenge | null> {
    const rows = await this.db.query<Row>(
      `UPDATE passkey_challenges SET used_at = $5
       WHERE challenge = $1 AND user_id = $2 AND purpose = $3 AND payment_id IS NOT DISTINCT FROM $4::uuid AND used_at IS NULL AND expires_at > $5
       RETURNING challenge, purpose, user_id, payment_id, details_sha256, nonce, created_at, expires_at`,
      [challenge, expected.userId, expected.purpose, expected.paymentId, now],
    );
    return rows[0] ? toChallenge(rows[0]) : null;
  }
}
