/**
 * U.S. Bank's webhooks: PascalCase `{ EventHeader, EventData }`, data in the API's own shapes
 * (a `BalanceList` entry, a `TransactionList` entry), unsigned amounts with a debit/credit
 * indicator. Signed in `USB-Webhook-Signature` / `USB-Webhook-Timestamp`.
 */
import { decimalAmount } from "../data/decimal-amount.js";
import type { MockBankEvent, MockEventFormat } from "../events/mock-bank-event.js";
import { renderPayment } from "./payments.js";
import { renderBalance, renderTransaction } from "./render.js";

const TYPE = {
  balance_changed: "BalanceUpdate",
  transaction_pending: "TransactionMemo",
  transaction_posted: "TransactionPosted",
  fraud_alert: "FraudAlert",
} as const;

const SEVERITY = { low: "Low", medium: "Medium", high: "High" } as const;

function data(event: MockBankEvent): Record<string, unknown> {
  const { account, change } = event;
  switch (change.kind) {
    case "balance_changed":
      return { AccountID: account.id, Balance: renderBalance(account, change.balance) };
    case "transaction_pending":
    case "transaction_posted":
      return { AccountID: account.id, Transaction: renderTransaction(change.record, account.currency) };
    case "fraud_alert": {
      const amount = change.alert.amountMinor;
      return {
        AccountID: account.id,
        FraudAlert: {
          AlertID: change.alert.id,
          Severity: SEVERITY[change.alert.severity],
          Reason: change.alert.reason,
          TransactionID: change.alert.transactionId,
          Amount: amount === null ? null : decimalAmount(Math.abs(amount)),
          DebitCreditIndicator: amount === null ? null : amount < 0 ? "D" : "C",
          CurrencyCode: account.currency,
          MerchantName: change.alert.merchantName,
        },
      };
    }
    case "shipment_updated":
      throw new Error("U.S. Bank issues no receipts");
  }
}

export const usBankEvents: MockEventFormat = {
  signatureHeader: "USB-Webhook-Signature",
  timestampHeader: "USB-Webhook-Timestamp",
  feed: { path: "/v3/events", sinceParam: "SinceSequenceNumber", listKey: "Events", sequencePath: ["EventHeader", "SequenceNumber"] },
  render(event) {
    const kind = event.change.kind;
    if (kind === "shipment_updated") throw new Error("U.S. Bank issues no receipts");
    return {
      EventHeader: { EventID: event.id, EventType: TYPE[kind], EventDateTime: event.at.toISOString() },
      EventData: data(event),
    };
  },
  // A payment's status changed: the payment as `GET /v3/payments/{PaymentID}` answers it.
  renderPayment(payment, eventId) {
    return {
      EventHeader: { EventID: eventId, EventType: "PaymentStatusUpdate", EventDateTime: payment.updatedAt.toISOString() },
      EventData: { AccountID: payment.accountId, Payment: renderPayment(payment) },
    };
  },
};
