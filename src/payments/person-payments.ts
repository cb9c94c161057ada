/**
 * The person's side of their payments (their /connections dashboard): every payment any app
 * started for them, one payment with its status history, and cancelling one still waiting for
 * them (source PERSON; the app that started it is told, PAYMENT_STATUS_CHANGED). Only ever the
 * signed-in person's own payments: anyone else's answers NOT_FOUND, like one that does not exist.
 */
import type { Clock } from "../clock.js";
import { PaymentStatus, type PaymentIntent, type PaymentStatusChange } from "../domain/payment.js";
import { ErrorCode, GatewayError, notFound } from "../errors.js";
import type { EventOutbox } from "../realtime/event-outbox.js";
import type { Database } from "../store/database.js";
import { PaymentRepository } from "../store/payment-repository.js";
import { PaymentChanges } from "./payment-changes.js";
import { effectivePaymentStatus, isCancellable } from "./payment-status.js";

/** How many of the newest payments the dashboard lists. */
export const DASHBOARD_PAYMENTS = 50;

/** Why the person cancelled, on the history and the app's event. */
export const CANCELLED_BY_PERSON = "CANCELLED_BY_PERSON";

export interface PersonPaymentsOptions {
  db: Database;
  clock: Clock;
  outbox: () => EventOutbox;
}

export class PersonPayments {
  private readonly changes: PaymentChanges;

  constructor(private readonly deps: PersonPaymentsOptions) {
    this.changes = new PaymentChanges(deps.clock, deps.outbox);
  }

  /** The person's newest payments (status as it holds now: EXPIRED derived from the clock). */
  async list(userId: string): Promise<PaymentIntent[]> {
    return (await new PaymentRepository(this.deps.db).listForPerson(userId, DASHBOARD_PAYMENTS)).map((i) => this.current(i));
  }

  /** One of the person's payments and its history, oldest first; NOT_FOUND for anyone else's. */
  async one(userId: string, paymentId: string): Promise<{ payment: PaymentIntent; history: PaymentStatusChange[] }> {
    const repo = new PaymentRepository(this.deps.db);
    const payment = await repo.find(paymentId);
    if (!payment || payment.userId !== userId) throw notFound("Payment");
    return { payment: this.current(payment), history: await repo.history(paymentId) };
  }

  /** The person cancels a payment still waiting for them; CONFLICT (reason NOT_CANCELLABLE) once it is not. */
  async cancel(userId: string, paymentId: string): Promise<PaymentIntent> {
    const cancelled = await this.deps.db.transaction(async (tx) => {
      const intent = await new PaymentRepository(tx).find(paymentId, { lock: true });
      if (!intent || intent.userId !== userId) throw notFound("Payment");
      const status = effectivePaymentStatus(intent, this.deps.clock.now());
      if (!isCancellable(status)) {
        throw new GatewayError(ErrorCode.CONFLICT, `This payment is ${status} and can no longer be cancelled`, { reason: "NOT_CANCELLABLE", status });
      }
      return this.changes.move(tx, intent, PaymentStatus.CANCELLED, "PERSON", CANCELLED_BY_PERSON);
    });
    await this.deps.outbox().hintPerson(userId);
    return cancelled;
  }

  private current(intent: PaymentIntent): PaymentIntent {
    return { ...intent, status: effectivePaymentStatus(intent, this.deps.clock.now()) };
  }
}
