/**
 * The one way a payment's status changes: the row, its status-history entry and the app's
 * PAYMENT_STATUS_CHANGED event in the person's log, all in the caller's transaction.
 */
import type { Clock } from "../clock.js";
import { PaymentStatus, type PaymentChangeSource, type PaymentIntent } from "../domain/payment.js";
import { paymentEventEntry } from "../realtime/app-event.js";
import type { EventOutbox } from "../realtime/event-outbox.js";
import type { Queryable } from "../store/database.js";
import { PaymentRepository } from "../store/payment-repository.js";
import type { BankPaymentStatus } from "../providers/payment-rail.js";
import { bankNotificationApplies, STATUS_OF_BANK_STATE } from "./payment-status.js";

/** Why an intent expired, on its history and event. */
export const EXPIRED_REASON = "NOT_CONFIRMED_IN_TIME";

export class PaymentChanges {
  constructor(
    private readonly clock: Clock,
    private readonly outbox: () => EventOutbox,
  ) {}

  /** A new intent: stored with its first status, history and event. */
  async created(tx: Queryable, intent: PaymentIntent): Promise<void> {
    const repo = new PaymentRepository(tx);
    await repo.insert(intent);
    await this.log(tx, intent, intent.status, intent.declineReason, "APP", null);
  }

  /** Moves `intent` (locked by the caller) to `status`; returns it as stored now. */
  async move(tx: Queryable, intent: PaymentIntent, status: PaymentStatus, source: PaymentChangeSource, reason: string | null = null): Promise<PaymentIntent> {
    const next: PaymentIntent = {
      ...intent,
      status,
      updatedAt: this.clock.now(),
      failureReason: status === PaymentStatus.FAILED ? reason : intent.failureReason,
    };
    await new PaymentRepository(tx).update(next);
    await this.log(tx, next, status, reason, source, null);
    return next;
  }

  /**
   * `intent` (as it was, awaiting the person) was expired by the store's conditional UPDATE in this
   * transaction: its history entry (source SYSTEM) and the app's event. Returns it as stored now.
   */
  async expired(tx: Queryable, intent: PaymentIntent): Promise<PaymentIntent> {
    const next: PaymentIntent = { ...intent, status: PaymentStatus.EXPIRED, updatedAt: this.clock.now() };
    await this.log(tx, next, PaymentStatus.EXPIRED, EXPIRED_REASON, "SYSTEM", null);
    return next;
  }

  /**
   * A bank's status for `intent` (locked by the caller): applied when it moves forward and is not
   * older than what was applied; a late, backward or duplicate one changes nothing but the bank's
   * payment id, when the gateway did not know it yet.
   */
  async fromBank(tx: Queryable, intent: PaymentIntent, bank: BankPaymentStatus): Promise<PaymentIntent> {
    const status = STATUS_OF_BANK_STATE[bank.state];
    const repo = new PaymentRepository(tx);
    if (!bankNotificationApplies(intent, status, bank.asOf)) {
      if (intent.bankPaymentId) return intent;
      const identified = { ...intent, bankPaymentId: bank.bankPaymentId };
      await repo.update(identified);
      return identified;
    }
    const reason = status === PaymentStatus.FAILED || status === PaymentStatus.RETURNED ? (bank.reason ?? bank.bankCode) : null;
    const next: PaymentIntent = {
      ...intent,
      status,
      updatedAt: this.clock.now(),
      failureReason: reason ?? intent.failureReason,
      bankPaymentId: intent.bankPaymentId ?? bank.bankPaymentId,
      bankStatusCode: bank.bankCode,
      bankAsOf: bank.asOf,
    };
    await repo.update(next);
    await this.log(tx, next, status, reason, "BANK", bank);
    return next;
  }

  private async log(
    tx: Queryable,
    intent: PaymentIntent,
    status: PaymentStatus,
    reason: string | null,
    source: PaymentChangeSource,
    bank: BankPaymentStatus | null,
  ) {
    const at = this.clock.now();
    await new PaymentRepository(tx).appendHistory(intent.id, { status, reason, source, bankCode: bank?.bankCode ?? null, bankAsOf: bank?.asOf ?? null, at });
    await this.outbox().appendIn(tx, paymentEventEntry(intent, status, reason, at));
  }
}
