/**
 * Citi's webhooks: `{ events: [...] }` batches (one event per delivery from this mock), camelCase,
 * `details` in the data API's own shapes (a balance, a transaction row). Signed in
 * `X-Citi-Signature` / `X-Citi-Request-Time`.
 */
import type { MockBankEvent, MockEventFormat } from "../events/mock-bank-event.js";
import { citiAmount, renderBalance, renderTransaction } from "./render.js";

const TYPE = {
  balance_changed: "BALANCE_CHANGE",
  transaction_pending: "TRANSACTION_AUTHORIZED",
  transaction_posted: "TRANSACTION_POSTED",
  fraud_alert: "FRAUD_ALERT",
} as const;

function details(event: MockBankEvent): Record<string, unknown> {
  const { account, change } = event;
  switch (change.kind) {
    case "balance_changed":
      return renderBalance(account, change.balance);
    case "transaction_pending":
    case "transaction_posted":
      return renderTransaction(change.record, account.currency);
    case "fraud_alert":
      return {
        alertId: change.alert.id,
        alertSeverity: change.alert.severity.toUpperCase(),
        alertReason: change.alert.reason,
        transactionId: change.alert.transactionId,
        transactionAmount: change.alert.amountMinor === null ? null : citiAmount(change.alert.amountMinor),
        currencyCode: account.currency,
        merchantName: change.alert.merchantName,
      };
    case "shipment_updated":
      throw new Error("Citi issues no receipts");
  }
}

export const citiEvents: MockEventFormat = {
  signatureHeader: "X-Citi-Signature",
  timestampHeader: "X-Citi-Request-Time",
  feed: { path: "/api/v1/event-batches", sinceParam: "fromSequence", listKey: "batches", sequencePath: ["sequence"] },
  render(event) {
    const kind = event.change.kind;
    if (kind === "shipment_updated") throw new Error("Citi issues no receipts");
    return {
      events: [{ eventId: event.id, eventType: TYPE[kind], eventDateTime: event.at.toISOString(), accountId: event.account.id, details: details(event) }],
    };
  },
};
