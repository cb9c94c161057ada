/**
 * The one domain event every bank's webhook format is translated into (by `webhook.ts` in the
 * bank's provider folder), and what the gateway publishes to subscribers. Each event carries its
 * data (the balance, the transaction, the receipt, the alert), so delivering it never needs a
 * second call to the bank. IDs are the bank's own, like everywhere in the domain model.
 */
import type { Balance, Receipt, Transaction } from "./model.js";
import type { Money } from "./money.js";

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
  | (EventBase & { kind: "FRAUD_ALERT"; alert: FraudAlert });

export type BankEventKind = BankEvent["kind"];
