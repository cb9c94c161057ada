/**
 * Events for every bank of a mock cluster: where webhooks go (`<target>/<bankId>`, i.e. the
 * gateway's `/webhooks/<institution>`), each bank's secret and sender, and `emit`, which makes an
 * event happen in the bank's data and delivers it in the bank's own format.
 */
import type { MockBankServer } from "../mock-bank-server.js";
import { makeEvent, type MockEventRequest } from "./make-event.js";
import type { MockBankEvent } from "./mock-bank-event.js";
import { WebhookSender, type DeliveryResult } from "./webhook-sender.js";
import { defaultMockWebhookSecret } from "./webhook-signing.js";

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
  /** Bank ID → signing secret; default {@link defaultMockWebhookSecret}. */
  secrets?: Record<string, string>;
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
      const secret = options.secrets?.[id] ?? defaultMockWebhookSecret(id);
      this.senders.set(id, new WebhookSender({ secret, signatureHeader: format.signatureHeader, timestampHeader: format.timestampHeader }));
    }
  }

  /** Where webhooks go: `<url>/<bankId>`; undefined stops sending. */
  setWebhookTarget(url: string | undefined): void {
    this.target = url?.replace(/\/+$/, "");
  }

  get webhookTarget(): string | undefined {
    return this.target;
  }

  /** Makes the event happen at the bank and delivers it (awaiting the receiver's answer). */
  async emit(bankId: string, request: MockEventRequest): Promise<{ event: EmittedEvent; delivery: DeliveryResult }> {
    const { bank, sender, url } = this.route(bankId);
    const format = bank.definition.events!;
    const event = makeEvent(bank.data, { receipts: bank.definition.receipts }, request);
    const delivery = await sender.deliver(url, event.id, format.render(event, { data: bank.data }));
    return { event: summarize(event), delivery };
  }

  /** Delivers an already emitted event again (a replay); undefined when the bank never sent it. */
  async redeliver(bankId: string, eventId: string): Promise<DeliveryResult | undefined> {
    const { sender, url } = this.route(bankId);
    return sender.redeliver(url, eventId);
  }

  private route(bankId: string) {
    const bank = this.banks.get(bankId);
    const sender = this.senders.get(bankId);
    if (!bank || !sender) throw new EventsUnavailable(404, `No mock bank ${bankId} with events`);
    if (!this.target) throw new EventsUnavailable(409, "No webhook target: start the cluster with webhookUrl or PUT /webhook-target");
    return { bank, sender, url: `${this.target}/${encodeURIComponent(bankId)}` };
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
