/**
 * The person's reads of their payments (their /connections dashboard): every payment any app
 * started for them, and one payment with its status history. Only ever the signed-in person's own
 * payments: anyone else's answers NOT_FOUND, like one that does not exist. (Cancelling is the
 * payment service's `cancelByPerson`, shared with the confirmation page's Decline.)
 */
import type { Clock } from "../clock.js";
import type { PaymentIntent, PaymentStatusChange } from "../domain/payment.js";
import { notFound } from "../errors.js";
import type { Database } from "../store/database.js";
import { PaymentRepository } from "../store/payment-repository.js";
import { effectivePaymentStatus } from "./payment-status.js";

/** How many of the newest payments the dashboard lists. */
export const DASHBOARD_PAYMENTS = 50;

export interface PersonPaymentsOptions {
  db: Database;
  clock: Clock;
}

export class PersonPayments {
  constructor(private readonly deps: PersonPaymentsOptions) {}

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

  private current(intent: PaymentIntent): PaymentIntent {
    return { ...intent, status: effectivePaymentStatus(intent, this.deps.clock.now()) };
  }
}
