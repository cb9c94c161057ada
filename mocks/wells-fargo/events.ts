/**
 * Wells Fargo's webhooks: one snake_case event per delivery, times in epoch milliseconds, data
 * in the same shapes as the REST API (`balances[]` entry, `transactions[]` entry), a HAL link to
 * the account. Signed in `X-WF-Signature` / `X-WF-Timestamp`.
 */
import type { MockBankEvent, MockEventFormat } from "../events/mock-bank-event.js";
import { renderBalance, renderTransaction } from "./wf-render.js";

const TYPE = {
  balance_changed: "account.balance.updated",
  transaction_pending: "transaction.pending",
  transaction_posted: "transaction.posted",
  fraud_alert: "fraud.alert.created",
} as const;

function data(event: MockBankEvent): Record<string, unknown> {
  const { account, change } = event;
  switch (change.kind) {
    case "balance_changed":
      return { account_id: account.id, balance: renderBalance(account, change.balance) };
    case "transaction_pending":
    case "transaction_posted":
      return { account_id: account.id, transaction: renderTransaction(change.record, account.currency) };
    case "fraud_alert":
      return {
        account_id: account.id,
        alert: {
          alert_id: change.alert.id,
          severity: change.alert.severity,
          reason: change.alert.reason,
          transaction_id: change.alert.transactionId,
          amount_cents: change.alert.amountMinor,
          currency_code: account.currency,
          merchant_name: change.alert.merchantName,
        },
      };
    case "shipment_updated":
      throw new Error("Wells Fargo issues no receipts");
  }
}

export const wellsFargoEvents: MockEventFormat = {
  signatureHeader: "X-WF-Signature",
  timestampHeader: "X-WF-Timestamp",
  feed: { path: "/v2/webhook-events", sinceParam: "after_sequence", listKey: "events", sequencePath: ["sequence"] },
  render(event) {
    const kind = event.change.kind;
    if (kind === "shipment_updated") throw new Error("Wells Fargo issues no receipts");
    return {
      event_id: event.id,
      event_type: TYPE[kind],
      created_at_ms: event.at.getTime(),
      data: data(event),
      _links: { account: { href: `/v2/accounts/${encodeURIComponent(event.account.id)}` } },
    };
  },
};
