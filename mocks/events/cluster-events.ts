/**
 * Events for every bank of a mock cluster: where webhooks go (`<target>/<bankId>`, i.e. the
 * gateway's `/webhooks/<institution>`), each bank's sender (ordered, retried with backoff), and
 * `emit`, which makes an event happen in the bank's data, numbers it in the bank's journal (its
 * "events since" feed) and delivers it in the bank's own format.
 */
import type { MockBankServer } from "../mock-bank-server.js";
import { makeEvent, type MockEventRequest } from "./make-event.js";
import { PaymentWebhooks } from "./payment-webhooks.js";
import type { MockBankEvent } from "./mock-bank-event.js";
import { WebhookSender, type DeliveryResult, type SenderStats } from "./webhook-sender.js";
import { DEFAULT_WEBHOOK_RETRY, type WebhookRetryPolicy } from "./webhook-retry.js";

/** What the admin endpoint answers about an emitted event (IDs are the bank's own). */
export interface EmittedEvent {
  id: string;
  kind: MockBankEvent["change"]["kind"];
  customer: string;
  accountId: string;
  /** The listed ID of the transaction involved (pending: its authorization ID). */
  transactionId?: string;
  /** On a posting: the pending authorization it settled. */
  pendingTransactionId?: string | null;
  receiptId?: string;
  shipmentStatus?: string;
  alertId?: string;
}

/** Options for {@link ClusterEvents}. */
export interface ClusterEventsOptions {
  /** Base URL the banks POST to, e.g. `http://127.0.0.1:4000/webhooks`; settable later. */
  webhookUrl?: string;
  /** How long and how often a failed delivery is retried; default {@link DEFAULT_WEBHOOK_RETRY}. */
  retry?: WebhookRetryPolicy;
}

/** Thrown when an event cannot be sent at all; `status` is the admin answer. */
export class EventsUnavailable extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export class ClusterEvents {
  private target: string | undefined;
  private readonly senders = new Map<string, WebhookSender>();

  constructor(
    private readonly banks: Map<string, MockBankServer>,
    options: ClusterEventsOptions = {},
  ) {
    this.target = options.webhookUrl?.replace(/\/+$/, "");
    for (const [id, bank] of banks) {
      const format = bank.definition.events;
      if (!format) continue;
      const sender = new WebhookSender({
        secret: bank.webhookSecret,
        signatureHeader: format.signatureHeader,
        timestampHeader: format.timestampHeader,
        retry: options.retry ?? DEFAULT_WEBHOOK_RETRY,
        url: () => (this.target ? `${this.target}/${encodeURIComponent(id)}` : undefined),
      });
      this.senders.set(id, sender);
      if (format.renderPayment && bank.eventJournal) {
        const webhooks = new PaymentWebhooks(bank, format, bank.eventJournal, sender);
        bank.payments.onStatus((change) => webhooks.handle(change));
      }
    }
  }

  /** Where webhooks go: `<url>/<bankId>`; undefined stops sending (deliveries then wait and retry). */
  setWebhookTarget(url: string | undefined): void {
    this.target = url?.replace(/\/+$/, "");
  }

  get webhookTarget(): string | undefined {
    return this.target;
  }

  /**
   * Makes the event happen at the bank, numbers it in the bank's journal and queues its delivery;
   * resolves with the first attempt's answer (or "queued" behind earlier events still retried),
   * or with `until: "settled"` once the bank is done with it (delivered, refused or abandoned).
   */
  async emit(
    bankId: string,
    request: MockEventRequest,
    until: "first-attempt" | "settled" = "first-attempt",
  ): Promise<{ event: EmittedEvent; delivery: DeliveryResult; sequence: number }> {
    const { bank, sender, journal } = this.route(bankId);
    if (!this.target) throw new EventsUnavailable(409, "No webhook target: start the cluster with webhookUrl or PUT /webhook-target");
    const format = bank.definition.events!;
    const event = makeEvent(bank.data, { receipts: bank.definition.receipts }, request);
    const entry = journal.append(event.id, format.render(event, { data: bank.data }));
    const sending = sender.send(event.id, entry.text);
    const delivery = await (until === "settled" ? sending.settled : sending.firstAnswer);
    return { event: summarize(event), delivery, sequence: entry.sequence };
  }

  /** Delivers an already emitted event again now, once (a replay); undefined when the bank never sent it. */
  async redeliver(bankId: string, eventId: string): Promise<DeliveryResult | undefined> {
    const { sender, journal } = this.route(bankId);
    if (!this.target) throw new EventsUnavailable(409, "No webhook target: start the cluster with webhookUrl or PUT /webhook-target");
    const entry = journal.find(eventId);
    return entry ? sender.resend(entry.text) : undefined;
  }

  /** What the bank's sender did so far: delivered, refused, abandoned, still waiting. */
  deliveries(bankId: string): SenderStats & { lastSequence: number } {
    const { sender, journal } = this.route(bankId);
    return { ...sender.stats, abandoned: [...sender.stats.abandoned], lastSequence: journal.lastSequence };
  }

  /** Resolves when the bank has nothing left to deliver (each event delivered, refused or abandoned). */
  idle(bankId: string): Promise<void> {
    return this.route(bankId).sender.idle();
  }

  /** Stops every bank's retries (the cluster is closing). */
  close(): void {
    for (const sender of this.senders.values()) sender.close();
  }

  private route(bankId: string) {
    const bank = this.banks.get(bankId);
    const sender = this.senders.get(bankId);
    const journal = bank?.eventJournal;
    if (!bank || !sender || !journal) throw new EventsUnavailable(404, `No mock bank ${bankId} with events`);
    return { bank, sender, journal };
  }
}

function summarize(event: MockBankEvent): EmittedEvent {
  const base = { id: event.id, kind: event.change.kind, customer: event.customer.id, accountId: event.account.id };
  const change = event.change;
  switch (change.kind) {
    case "balance_changed":
      return base;
    case "transaction_pending":
      return { ...base, transactionId: change.record.id };
    case "transaction_posted":
      return { ...base, transactionId: change.record.id, pendingTransactionId: change.record.pendingId };
    case "shipment_updated":
      return { ...base, receiptId: change.receipt.id, transactionId: change.receipt.transactionId, shipmentStatus: change.receipt.shipment?.status };
    case "fraud_alert":
      return { ...base, alertId: change.alert.id, transactionId: change.alert.transactionId ?? undefined };
  }
}
