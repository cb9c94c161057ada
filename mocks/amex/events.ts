/**
 * American Express's webhooks: snake_case notifications keyed by `account_token`, `YYYYMMDD` +
 * `HHMMSS` times, `details` in the API's own shapes (a balance, a transaction row, a receipt with
 * its shipping). Signed in `X-Amex-Signature` / `X-Amex-Timestamp`.
 */
import type { MockBankEvent, MockEventFormat } from "../events/mock-bank-event.js";
import { amexAmount, amexDate, amexTime } from "./format.js";
import { renderReceipt } from "./routes.js";
import { renderTransaction } from "./transactions.js";

const TYPE = {
  balance_changed: "BALANCE_UPDATE",
  transaction_pending: "CHARGE_AUTHORIZED",
  transaction_posted: "CHARGE_POSTED",
  shipment_updated: "SHIPMENT_UPDATE",
  fraud_alert: "FRAUD_ALERT",
} as const;

function details(event: MockBankEvent): Record<string, unknown> {
  const { account, change } = event;
  switch (change.kind) {
    case "balance_changed": {
      const { balance } = change;
      return {
        account_token: account.id,
        statement_balance: amexAmount(balance.currentMinor, account.currency),
        payments_credits: amexAmount(0, account.currency),
        available_credit: balance.availableMinor === null ? null : amexAmount(balance.availableMinor, account.currency),
        credit_limit: balance.limitMinor === null ? null : amexAmount(balance.limitMinor, account.currency),
        as_of_date: amexDate(balance.asOf),
        as_of_time: amexTime(balance.asOf),
      };
    }
    case "transaction_pending":
    case "transaction_posted":
      return renderTransaction(change.record);
    case "shipment_updated":
      return renderReceipt(change.receipt);
    case "fraud_alert": {
      const amount = change.alert.amountMinor;
      return {
        alert_id: change.alert.id,
        severity: change.alert.severity.toUpperCase(),
        reason: change.alert.reason,
        transaction_id: change.alert.transactionId,
        amount: amount === null ? null : amexAmount(amount, account.currency),
        type: amount === null ? null : amount < 0 ? "DEBIT" : "CREDIT",
        merchant_name: change.alert.merchantName,
      };
    }
  }
}

export const amexEvents: MockEventFormat = {
  signatureHeader: "X-Amex-Signature",
  timestampHeader: "X-Amex-Timestamp",
  feed: { path: "/servicing/v1/notifications", sinceParam: "since_sequence", listKey: "notifications", sequencePath: ["sequence_number"] },
  render(event) {
    return {
      notification_id: event.id,
      notification_type: TYPE[event.change.kind],
      created_date: amexDate(event.at),
      created_time: amexTime(event.at),
      account_token: event.account.id,
      details: details(event),
    };
  },
};
