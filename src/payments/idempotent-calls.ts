/**
 * Idempotency for every payment mutation (issue 16 item 5). A key is scoped per person and
 * mutation. The first call claims it (a unique row, so one claim wins across instances); the same
 * key again with the same input gets that call's payment, re-read as it is now; with other input
 * IDEMPOTENCY_KEY_REUSED; while the first call still runs IDEMPOTENCY_IN_PROGRESS. A refused call
 * (an error) stores nothing and frees the key. Keys are kept 7 days, then pruned.
 */
import { DAY_MS, type Clock } from "../clock.js";
import { ErrorCode, GatewayError } from "../errors.js";
import type { Database, Queryable } from "../store/database.js";
import { PaymentIdempotencyRepository, type IdempotencyClaim } from "../store/payment-idempotency-repository.js";

/** How long a key is kept. */
export const IDEMPOTENCY_KEY_DAYS = 7;
/** A claim left IN_PROGRESS longer than this (its instance died) may be taken over by the same request. */
const LEASE_MS = 60_000;

/** Marks the claim done inside the transaction that stores the outcome (so both happen or neither). */
export type FinishClaim = (tx: Queryable, paymentId: string) => Promise<void>;

export class IdempotentCalls {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs `work` once per (person, operation, key): returns the payment id it produced, or the one a
   * previous call with the same input produced. `work` must call `finish` in its storing transaction.
   */
  async run(claim: IdempotencyClaim, work: (finish: FinishClaim) => Promise<string>): Promise<{ paymentId: string; replayed: boolean }> {
    const keys = new PaymentIdempotencyRepository(this.db);
    for (let attempt = 0; attempt < 2; attempt++) {
      const now = this.clock.now();
      if (await keys.claim(claim, now, new Date(now.getTime() + LEASE_MS))) {
        try {
          const paymentId = await work((tx, id) => new PaymentIdempotencyRepository(tx).finish(claim, id));
          return { paymentId, replayed: false };
        } catch (error) {
          await keys.release(claim);
          throw error;
        }
      }
      const stored = await keys.find(claim.userId, claim.operation, claim.key);
      if (!stored) continue; // released between our claim and our read: claim again
      if (stored.requestSha256 !== claim.requestSha256) {
        throw new GatewayError(ErrorCode.IDEMPOTENCY_KEY_REUSED, `This idempotency key was already used for ${claim.operation} with other input`, {
          operation: claim.operation,
        });
      }
      if (stored.state === "DONE" && stored.paymentId) return { paymentId: stored.paymentId, replayed: true };
      break;
    }
    throw new GatewayError(
      ErrorCode.IDEMPOTENCY_IN_PROGRESS,
      `The first ${claim.operation} with this idempotency key has not finished; retry with the same key shortly`,
      {
        operation: claim.operation,
      },
    );
  }

  /** Forgets keys older than {@link IDEMPOTENCY_KEY_DAYS}. */
  prune(): Promise<number> {
    return new PaymentIdempotencyRepository(this.db).prune(new Date(this.clock.now().getTime() - IDEMPOTENCY_KEY_DAYS * DAY_MS));
  }
}
