/**
 * The one domain event every bank's webhook format is translated into (by `webhook.ts` in the
 * bank's provider folder), and what the gateway publishes to subscribers. Each event carries its
 * data (the balance, the transaction, the receipt, the alert), so delivering it never needs a
 * second call to the bank. IDs are the bank's own, like everywhere in the domain model.
 */
import type { Balance, Receipt, Transaction } from "./model.js";
import type { Money } from "./money.js";
import type { BankPaymentStatus } from "./bank-payment.js";

/** How sure the bank is that something is wrong. */
export enum FraudAlertSeverity {
  LOW = "LOW",
  MEDIUM = "MEDIUM",
  HIGH = "HIGH",
}

/** A bank's warning about a suspicious charge or sign-in. */
export interface FraudAlert {
  /** The bank's alert ID. */
  id: string;
  accountId: string;
  /** The transaction the alert is about, where there is one. */
  transactionId: string | null;
  severity: FraudAlertSeverity;
  /** The bank's words, e.g. "Unusual card-not-present purchase". */
  reason: string;
  amount: Money | null;
  merchantName: string | null;
  at: Date;
}

interface EventBase {
  /** The bank's event ID: each (institution, eventId) is accepted once (replay protection). */
  eventId: string;
  /** The bank account the event is about; routes the event to the links that see it. */
  accountId: string;
  /** When it happened at the bank. */
  occurredAt: Date;
}

/** One thing that happened at a bank, in domain terms. */
export type BankEvent =
  | (EventBase & { kind: "BALANCE_CHANGED"; balance: Balance })
  | (EventBase & { kind: "TRANSACTION_PENDING"; transaction: Transaction })
  /** `transaction.pendingTransactionId` names the pending transaction it replaces. */
  | (EventBase & { kind: "TRANSACTION_POSTED"; transaction: Transaction })
  /** A receipt changed, typically its shipment; `receipt.transactionId` joins it to its transaction. */
  | (EventBase & { kind: "RECEIPT_UPDATED"; receipt: Receipt })
  | (EventBase & { kind: "FRAUD_ALERT"; alert: FraudAlert })
  /**
   * A payment's status changed at the bank (issue 16); `accountId` is the account it is paid from.
   * Not bank data for apps: it goes to payments, never to data subscribers (`isDataEvent`).
   */
  | (EventBase & { kind: "PAYMENT_STATUS_CHANGED"; payment: BankPaymentStatus });

export type BankEventKind = BankEvent["kind"];

/** Bank events that carry the person's bank data to apps (and into the person's event log); the others are the gateway's own business. */
export type DataBankEvent = Exclude<BankEvent, { kind: "PAYMENT_STATUS_CHANGED" }>;

export function isDataEvent(event: BankEvent): event is DataBankEvent {
  return event.kind !== "PAYMENT_STATUS_CHANGED";
}
