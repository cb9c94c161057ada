/**
 * A bank's payment status webhooks: each step of a payment (mocks/payments/payment-book.ts) is
 * rendered in the bank's own format (`renderPayment` in its events.ts), numbered in the bank's
 * journal and queued on its sender — signed, ordered and retried exactly like its other webhooks —
 * followed by the account events the step caused (the debit posting, the new balance). The bank's
 * `paymentStatusWebhooks` fault bends this: "duplicated" sends every status delivery twice (same
 * event, same number); "out_of_order" holds the PENDING step back and sends it after the next one,
 * so the receiver sees SETTLED (or FAILED) and then a late PENDING, numbered after it but dated before.
 */
import { randomUUID } from "node:crypto";
import type { MockBankServer } from "../mock-bank-server.js";
import type { MockPayment } from "../payments/mock-payment.js";
import type { PaymentStatusChange } from "../payments/payment-book.js";
import type { EventJournal } from "./event-journal.js";
import type { MockEventFormat } from "./mock-bank-event.js";
import type { WebhookSender } from "./webhook-sender.js";

export class PaymentWebhooks {
  /** Payment ID → its PENDING step, held back by the out-of-order fault. */
  private readonly held = new Map<string, MockPayment>();

  constructor(
    private readonly bank: MockBankServer,
    private readonly format: MockEventFormat,
    private readonly journal: EventJournal,
    private readonly sender: WebhookSender,
  ) {}

  /** Sends one step (and what it did to the account). */
  handle(change: PaymentStatusChange): void {
    const { paymentStatusWebhooks: mode } = this.bank.getFaults();
    const { payment } = change;
    if (mode === "out_of_order" && payment.status === "pending") {
      this.held.set(payment.id, payment);
    } else {
      this.sendStatus(payment, mode === "duplicated");
      const late = this.held.get(payment.id);
      if (late) {
        this.held.delete(payment.id);
        this.sendStatus(late, false);
      }
    }
    for (const event of change.accountEvents) {
      const entry = this.journal.append(event.id, this.format.render(event, { data: this.bank.data }));
      void this.sender.send(event.id, entry.text);
    }
  }

  private sendStatus(payment: MockPayment, twice: boolean): void {
    const eventId = randomUUID();
    const entry = this.journal.append(eventId, this.format.renderPayment!(payment, eventId));
    void this.sender.send(eventId, entry.text);
    if (twice) void this.sender.send(eventId, entry.text);
  }
}
