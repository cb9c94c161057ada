/**
 * Chase's webhooks: FDX-style event notifications, one per delivery. `notificationPayload` reuses
 * the FDX shapes of the data API (`{ depositAccount }` with balances, `{ depositTransaction }`),
 * so a consumer reads them with the same code. Signed in `FDX-Signature` / `FDX-Signature-Timestamp`.
 */
import type { MockBankEvent, MockEventFormat } from "../events/mock-bank-event.js";
import { dollars, easternTimestamp, renderAccount, renderTransaction } from "./fdx-render.js";
import { renderPayment } from "./payments.js";

const TYPE = {
  balance_changed: "BALANCE_UPDATED",
  transaction_pending: "TRANSACTION_PENDING",
  transaction_posted: "TRANSACTION_POSTED",
  fraud_alert: "FRAUD_SUSPECTED",
} as const;

function payload(event: MockBankEvent): Record<string, unknown> {
  const { account, change } = event;
  const base = { accountId: account.id, currency: { currencyCode: account.currency } };
  switch (change.kind) {
    case "balance_changed":
      return { ...base, account: renderAccount(account, change.balance) };
    case "transaction_pending":
    case "transaction_posted":
      return { ...base, transaction: renderTransaction(change.record, account.kind) };
    case "fraud_alert":
      return {
        ...base,
        fraud: {
          alertId: change.alert.id,
          severity: change.alert.severity.toUpperCase(),
          reason: change.alert.reason,
          ...(change.alert.transactionId ? { transactionId: change.alert.transactionId } : {}),
          ...(change.alert.amountMinor !== null
            ? { amount: dollars(Math.abs(change.alert.amountMinor)), debitCreditMemo: change.alert.amountMinor < 0 ? "DEBIT" : "CREDIT" }
            : {}),
          ...(change.alert.merchantName ? { payee: change.alert.merchantName } : {}),
        },
      };
    case "shipment_updated":
      throw new Error("Chase issues no receipts");
  }
}

export const chaseEvents: MockEventFormat = {
  signatureHeader: "FDX-Signature",
  timestampHeader: "FDX-Signature-Timestamp",
  feed: { path: "/fdx/v6/notifications", sinceParam: "sinceSequenceNumber", listKey: "notifications", sequencePath: ["sequenceNumber"] },
  render(event) {
    const kind = event.change.kind;
    if (kind === "shipment_updated") throw new Error("Chase issues no receipts");
    return {
      notificationId: event.id,
      type: TYPE[kind],
      category: kind === "fraud_alert" ? "SECURITY" : kind === "balance_changed" ? "BALANCE" : "TRANSACTION",
      sentOn: easternTimestamp(event.at),
      publisher: { name: "JPMorgan Chase" },
      notificationPayload: payload(event),
    };
  },
  // A payment's status changed (FDX money movement): the FDX Payment as `GET /payments/{paymentId}` answers it.
  renderPayment(payment, eventId) {
    return {
      notificationId: eventId,
      type: "PAYMENT_STATUS_UPDATED",
      category: "PAYMENT",
      sentOn: easternTimestamp(payment.updatedAt),
      publisher: { name: "JPMorgan Chase" },
      notificationPayload: { accountId: payment.accountId, currency: { currencyCode: payment.currency }, payment: renderPayment(payment) },
    };
  },
};
