/**
 * The mock banks' canonical events: what happened, in the shared mock data model. Each bank's
 * `events.ts` renders them in its own webhook format (a `MockEventFormat`); everything else about
 * events — making the change in the data, signing, delivering, retrying — is shared, in this folder.
 */
import type { BankDataset } from "../data/dataset.js";
import type { MockAccount, MockBalance, MockCustomer, MockReceipt, MockTransactionRecord } from "../data/types.js";
import type { MockPayment } from "../payments/mock-payment.js";

/** Kinds of event a mock bank emits. */
export const MOCK_EVENT_KINDS = ["balance_changed", "transaction_pending", "transaction_posted", "shipment_updated", "fraud_alert"] as const;
export type MockEventKind = (typeof MOCK_EVENT_KINDS)[number];

/** A suspected fraud, as the bank raises it. */
export interface MockFraudAlert {
  id: string;
  /** The suspicious transaction's listed ID (its pending authorization while pending). */
  transactionId: string | null;
  severity: "low" | "medium" | "high";
  reason: string;
  amountMinor: number | null;
  merchantName: string | null;
}

/** What changed, with the data as it is after the change. */
export type MockEventChange =
  | { kind: "balance_changed"; balance: MockBalance }
  | { kind: "transaction_pending"; record: MockTransactionRecord }
  /** `record.pendingId` names the pending authorization this posting settled. */
  | { kind: "transaction_posted"; record: MockTransactionRecord }
  | { kind: "shipment_updated"; receipt: MockReceipt }
  | { kind: "fraud_alert"; alert: MockFraudAlert };

/** One event at one bank. */
export interface MockBankEvent {
  /** Unique across runs (a UUID): the gateway remembers event IDs across restarts. */
  id: string;
  at: Date;
  customer: MockCustomer;
  account: MockAccount;
  change: MockEventChange;
}

/** What a bank's `events.ts` renders an event with. */
export interface MockEventContext {
  data: BankDataset;
}

/** A bank's webhook format: its headers and its body for one event. */
export interface MockEventFormat {
  /** Header carrying the hex HMAC-SHA256 of `timestamp + "." + body`. */
  signatureHeader: string;
  /** Header carrying the Unix time in seconds at which the body was signed. */
  timestampHeader: string;
  /** The JSON body that delivers this event. */
  render(event: MockBankEvent, context: MockEventContext): Record<string, unknown>;
  /** Where the bank numbers its deliveries and lists them again ("events since"), in its own style. */
  feed: MockEventFeedFormat;
  /** The JSON body of a payment status webhook (banks with payments: mocks/events/payment-webhooks.ts). */
  renderPayment?(payment: MockPayment, eventId: string): Record<string, unknown>;
}

/**
 * A bank's "events since" endpoint and its delivery numbering, in the bank's own style. Every
 * delivery carries the bank's sequence number (1, 2, 3, … per bank, across its customers) at
 * `sequencePath` in the signed body, so a receiver sees a gap; `GET <path>?<sinceParam>=<n>`
 * lists the deliveries numbered above n, oldest first, under `listKey` — the same bodies the
 * webhooks carried, so a receiver reads them with the same code.
 */
export interface MockEventFeedFormat {
  path: string;
  sinceParam: string;
  listKey: string;
  /** Keys from the body's top level to the sequence number, e.g. `["EventHeader", "SequenceNumber"]`. */
  sequencePath: readonly string[];
}
