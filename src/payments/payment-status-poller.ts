/**
 * Asks the bank about payments it has not told us about. Two cases, one sweep:
 *
 * - CONFIRMED: every submission attempt went unanswered (the bank may have the payment). It is
 *   submitted again under its own id as the bank's idempotency key: the bank answers the payment it
 *   already has, never a second one, and its answer moves the payment (or a refusal fails it).
 * - SUBMITTED / PENDING with no change for `quietMs`: the bank's status is read
 *   (`PaymentRail.status`) and applied through {@link PaymentService.applyBankStatus}, forward only.
 *
 * This is also how a status webhook that raced the gateway is made good: a bank that accepted a
 * payment may notify before the gateway stored the bank's payment id (or before any answer reached
 * it, after a timeout); such a notification matches no payment and is kept only in the replay
 * ledger. The payment is then CONFIRMED or SUBMITTED and quiet, so the next sweep after `quietMs`
 * reads the bank's current status (docs/payments.md "Status from the bank").
 *
 * At most `batchSize` payments per sweep, longest-quiet first. Safe on any number of instances: each
 * payment is claimed for `quietMs` by a lease on the payment itself (`status_check_lease_until`,
 * migration 019; one conditional UPDATE lets one claim win, and the lease is when it may be checked
 * again), and both calls are idempotent at the bank and forward-only here.
 */
import type { Clock } from "../clock.js";
import { PaymentStatus, type PaymentIntent } from "../domain/payment.js";
import type { Logger } from "../observability/logger.js";
import type { BankSession } from "../providers/contract.js";
import type { PaymentRail } from "../providers/payment-rail.js";
import type { Database } from "../store/database.js";
import { PaymentRepository } from "../store/payment-repository.js";
import type { PaymentService } from "./payment-service.js";

export interface PaymentStatusPollerOptions {
  db: Database;
  clock: Clock;
  payments: PaymentService;
  railFor: (institutionId: string) => PaymentRail | undefined;
  accessTokenFor: (linkId: string) => Promise<string>;
  /** How long a payment may go without news before the bank is asked (PAYMENT_STATUS_QUIET_SECONDS). */
  quietMs: number;
  /** Payments asked about per sweep (default 20). */
  batchSize?: number;
  logger: Logger;
}

export class PaymentStatusPoller {
  constructor(private readonly deps: PaymentStatusPollerOptions) {}

  /** One sweep: returns how many payments this instance asked the bank about. */
  async sweepOnce(): Promise<number> {
    const now = this.deps.clock.now();
    const claimed = await new PaymentRepository(this.deps.db).claimQuietAtBank(
      new Date(now.getTime() - this.deps.quietMs),
      now,
      new Date(now.getTime() + this.deps.quietMs),
      this.deps.batchSize ?? 20,
    );
    for (const intent of claimed) {
      try {
        await this.check(intent);
      } catch (error) {
        // The bank could not be asked (down, the link's grant gone): the claim's lease runs out and a later sweep asks again.
        this.deps.logger.warn({ err: error, paymentId: intent.id, institutionId: intent.institutionId }, "payment status not checked at the bank");
      }
    }
    return claimed.length;
  }

  private async check(intent: PaymentIntent): Promise<void> {
    if (intent.status === PaymentStatus.CONFIRMED) {
      await this.deps.payments.submitConfirmed(intent, 1);
      return;
    }
    const rail = this.deps.railFor(intent.institutionId);
    if (!rail || !intent.bankPaymentId) return;
    const session: BankSession = { accessToken: await this.deps.accessTokenFor(intent.linkId) };
    await this.deps.payments.applyBankStatus(intent.institutionId, await rail.status(session, intent.bankPaymentId));
  }
}
