/**
 * One mock bank's payments: what each bank's payment routes (its `payments.ts`) call. It keeps
 * the bank's idempotency promise — one payment per (customer, idempotency key); the same key
 * with the same request answers that payment as it is now, with another request a conflict —
 * checks funds against the account's available balance, holds the money as a pending debit in
 * the account's history, and moves each payment on over real time (the mock clock): submitted →
 * pending → settled, or failed, or settled and later returned, as `pace()` (the bank's faults)
 * says when the payment is accepted. Each step changes the ledger (a settled payment posts its
 * debit, a failed one releases it, a returned one is credited back) and is told to the listeners
 * with the account events it caused, which the cluster sends as webhooks (mocks/events/payment-webhooks.ts).
 */
import { randomUUID } from "node:crypto";
import type { BankDataset } from "../data/dataset.js";
import { currentRecordOf } from "../data/record-index.js";
import type { MockTransaction } from "../data/types.js";
import type { MockBankEvent } from "../events/mock-bank-event.js";
import type { Faults } from "../faults.js";
import { snapshotOf, type MockPayment, type MockPaymentOrder, type MockPaymentStatus } from "./mock-payment.js";

/** How payments accepted now will move on (read from the bank's faults at acceptance). */
export type PaymentPace = Pick<Faults, "paymentStepMs" | "paymentOutcome">;

/** The answer to a submission. */
export type SubmitOutcome =
  /** A new payment, accepted. */
  | { kind: "created"; payment: MockPayment }
  /** The key was seen with this same request: that payment, as it is now. */
  | { kind: "replayed"; payment: MockPayment }
  /** The key was seen with another request. */
  | { kind: "key_reused"; payment: MockPayment }
  /** Not enough available in the account; nothing recorded. */
  | { kind: "insufficient_funds"; availableMinor: number };

/** One step of a payment, as the listeners hear it. */
export interface PaymentStatusChange {
  /** The payment as it stands after this step (a copy). */
  payment: MockPayment;
  /** Account events the step caused (the debit posting, the balance), in the bank's canonical event model. */
  accountEvents: MockBankEvent[];
}

const RETURN_REASON = "R01 Insufficient funds at the receiving bank: the payment came back";
const FAIL_REASON = "The receiving bank declined the payment";

export class PaymentBook {
  private readonly payments = new Map<string, MockPayment>();
  /** `${customerId} ${key}` → the request's fingerprint and the payment it made. */
  private readonly keys = new Map<string, { fingerprint: string; paymentId: string }>();
  private readonly listeners: Array<(change: PaymentStatusChange) => void> = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly data: BankDataset,
    private readonly pace: () => PaymentPace,
  ) {}

  /**
   * Accepts the order under the idempotency key, or answers what the key already made. `fingerprint`
   * identifies the request as the bank compares it (its canonical body). Synchronous: two requests
   * with one key can never both create.
   */
  submit(idempotencyKey: string, fingerprint: string, order: MockPaymentOrder): SubmitOutcome {
    const keyed = this.keys.get(`${order.customerId} ${idempotencyKey}`);
    if (keyed) {
      const payment = snapshotOf(this.payments.get(keyed.paymentId)!);
      return keyed.fingerprint === fingerprint ? { kind: "replayed", payment } : { kind: "key_reused", payment };
    }
    const available = this.data.balanceOf(order.accountId).availableMinor ?? 0;
    if (available < order.amountMinor + order.feeMinor) return { kind: "insufficient_funds", availableMinor: available };
    const at = this.data.now();
    const hold = this.data.addPendingDebit(order.accountId, at, order.amountMinor + order.feeMinor, `PAYMENT TO ${order.payeeName.toUpperCase()}`);
    const payment: MockPayment = {
      ...order,
      id: randomUUID(),
      status: "submitted",
      reason: null,
      createdAt: at,
      updatedAt: at,
      history: [{ status: "submitted", at, reason: null }],
      transactionId: hold.id,
    };
    this.payments.set(payment.id, payment);
    this.keys.set(`${order.customerId} ${idempotencyKey}`, { fingerprint, paymentId: payment.id });
    this.tell(payment, this.accountEvents(payment, hold, "transaction_pending"));
    this.plan(payment.id, this.pace());
    return { kind: "created", payment: snapshotOf(payment) };
  }

  /** The payment, only if this customer made it. */
  get(customerId: string, paymentId: string): MockPayment | undefined {
    const payment = this.payments.get(paymentId);
    return payment && payment.customerId === customerId ? snapshotOf(payment) : undefined;
  }

  /** Every payment this customer made, oldest first (copies). */
  paymentsOf(customerId: string): MockPayment[] {
    return [...this.payments.values()].filter((p) => p.customerId === customerId).map(snapshotOf);
  }

  /** Called with every status step of every payment, in order. */
  onStatus(listener: (change: PaymentStatusChange) => void): void {
    this.listeners.push(listener);
  }

  /** Stops moving payments on (the bank is closing). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Schedules the steps after "submitted": pending, then the outcome, then (for "return") returned. */
  private plan(paymentId: string, pace: PaymentPace): void {
    const steps: MockPaymentStatus[] = [
      "pending",
      pace.paymentOutcome === "fail" ? "failed" : "settled",
      ...(pace.paymentOutcome === "return" ? ["returned" as const] : []),
    ];
    const next = (index: number) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.advance(paymentId, steps[index]!);
        if (index + 1 < steps.length) next(index + 1);
      }, pace.paymentStepMs);
      timer.unref();
      this.timers.add(timer);
    };
    next(0);
  }

  private advance(paymentId: string, status: MockPaymentStatus): void {
    const payment = this.payments.get(paymentId);
    if (!payment) return;
    const at = this.data.now();
    const reason = status === "failed" ? FAIL_REASON : status === "returned" ? RETURN_REASON : null;
    Object.assign(payment, { status, reason, updatedAt: at });
    payment.history.push({ status, at, reason });
    this.tell(payment, this.ledgerStep(payment, status, at));
  }

  /** What the step does to the account, as account events. */
  private ledgerStep(payment: MockPayment, status: MockPaymentStatus, at: Date): MockBankEvent[] {
    switch (status) {
      case "settled": {
        const posted = this.data.post(payment.transactionId, at);
        return posted ? this.accountEvents(payment, posted, "transaction_posted") : [];
      }
      case "failed": {
        const released = this.data.releasePending(payment.transactionId);
        return released ? this.accountEvents(payment, undefined, undefined) : [];
      }
      case "returned": {
        const credit = this.data.addPostedCredit(payment.accountId, at, payment.amountMinor, `RETURNED PAYMENT ${payment.payeeName.toUpperCase()}`);
        return this.accountEvents(payment, credit, "transaction_posted");
      }
      case "submitted":
      case "pending":
      case "cancelled":
        return [];
    }
  }

  /** The transaction event (when there is one) and the balance after it. */
  private accountEvents(
    payment: MockPayment,
    transaction: MockTransaction | undefined,
    kind: "transaction_pending" | "transaction_posted" | undefined,
  ): MockBankEvent[] {
    const customer = this.data.customer(payment.customerId)!;
    const account = this.data.accountOf(payment.customerId, payment.accountId)!;
    const at = this.data.now();
    const events: MockBankEvent[] = [];
    if (transaction && kind) events.push({ id: randomUUID(), at, customer, account, change: { kind, record: currentRecordOf(transaction) } });
    events.push({ id: randomUUID(), at, customer, account, change: { kind: "balance_changed", balance: this.data.balanceOf(account.id, at) } });
    return events;
  }

  private tell(payment: MockPayment, accountEvents: MockBankEvent[]): void {
    const change = { payment: snapshotOf(payment), accountEvents };
    for (const listener of this.listeners) listener(change);
  }
}
