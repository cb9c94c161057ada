/**
 * Rows of `payment_idempotency_keys` (migration 015): one claim per (person, mutation, key). The
 * primary key lets exactly one of several concurrent claims win, on any instance; the winner
 * finishes it (DONE, naming the payment) or lets it go when the call was refused. A claim whose
 * lease ran out (its instance died mid-call) may be taken over.
 */
import type { Queryable } from "./database.js";

export interface IdempotencyClaim {
  userId: string;
  operation: string;
  key: string;
  requestSha256: string;
}

/** A claim already there. */
export interface StoredClaim {
  requestSha256: string;
  state: "IN_PROGRESS" | "DONE";
  paymentId: string | null;
  leaseUntil: Date;
}

export class PaymentIdempotencyRepository {
  constructor(private readonly db: Queryable) {}

  /** True when this call now holds the key (new, or taken over after its lease ran out with the same request). */
  async claim(claim: IdempotencyClaim, now: Date, leaseUntil: Date): Promise<boolean> {
    const inserted = await this.db.query(
      `INSERT INTO payment_idempotency_keys (user_id, operation, key, request_sha256, state, created_at, lease_until)
       VALUES ($1, $2, $3, $4, 'IN_PROGRESS', $5, $6) ON CONFLICT DO NOTHING RETURNING key`,
      [claim.userId, claim.operation, claim.key, claim.requestSha256, now, leaseUntil],
    );
    if (inserted.length > 0) return true;
    const takenOver = await this.db.query(
      `UPDATE payment_idempotency_keys SET lease_until = $6
       WHERE user_id = $1 AND operation = $2 AND key = $3 AND request_sha256 = $4 AND state = 'IN_PROGRESS' AND lease_until <= $5 RETURNING key`,
      [claim.userId, claim.operation, claim.key, claim.requestSha256, now, leaseUntil],
    );
    return takenOver.length > 0;
  }

  async find(userId: string, operation: string, key: string): Promise<StoredClaim | null> {
    const [row] = await this.db.query<{ request_sha256: string; state: "IN_PROGRESS" | "DONE"; payment_id: string | null; lease_until: Date }>(
      `SELECT request_sha256, state, payment_id, lease_until FROM payment_idempotency_keys WHERE user_id = $1 AND operation = $2 AND key = $3`,
      [userId, operation, key],
    );
    return row ? { requestSha256: row.request_sha256, state: row.state, paymentId: row.payment_id, leaseUntil: row.lease_until } : null;
  }

  /** The claim's outcome: this payment (in the transaction that stored it, when there is one). */
  async finish(claim: Pick<IdempotencyClaim, "userId" | "operation" | "key">, paymentId: string): Promise<void> {
    await this.db.query(`UPDATE payment_idempotency_keys SET state = 'DONE', payment_id = $4 WHERE user_id = $1 AND operation = $2 AND key = $3`, [
      claim.userId,
      claim.operation,
      claim.key,
      paymentId,
    ]);
  }

  /** The call was refused (nothing stored): the key is free again. */
  async release(claim: Pick<IdempotencyClaim, "userId" | "operation" | "key">): Promise<void> {
    await this.db.query(`DELETE FROM payment_idempotency_keys WHERE user_id = $1 AND operation = $2 AND key = $3 AND state = 'IN_PROGRESS'`, [
      claim.userId,
      claim.operation,
      claim.key,
    ]);
  }

  /** Forgets keys created before `before` (kept 7 days). Returns how many. */
  async prune(before: Date): Promise<number> {
    const rows = await this.db.query(`DELETE FROM payment_idempotency_keys WHERE created_at < $1 RETURNING key`, [before]);
    return rows.length;
  }
}
