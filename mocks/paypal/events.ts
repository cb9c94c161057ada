/**
 * PayPal's webhooks: PayPal's webhook event envelope (`id`, `event_type`, `resource_type`,
 * `create_time`, `summary`, `resource`), resources in the REST API's own shapes (a balance, a
 * Transaction Search row, a receipt with its trackers). Signed in `PAYPAL-TRANSMISSION-SIG` /
 * `PAYPAL-TRANSMISSION-TIME` (HMAC here; the real PayPal signs with a certificate).
 */
import type { MockBankEvent, MockEventFormat, MockEventContext } from "../events/mock-bank-event.js";
import { paypalMoney, paypalTime } from "./format.js";
import { PAYOUT_ITEM_STATUS, renderPayoutItem } from "./payouts.js";
import { renderReceipt } from "./routes.js";
import { renderTransaction } from "./transactions.js";

const TYPE = {
  balance_changed: ["WALLET.BALANCE.UPDATED", "balance", "The balance of an account changed"],
  transaction_pending: ["PAYMENT.PENDING", "transaction", "A payment is pending"],
  transaction_posted: ["PAYMENT.COMPLETED", "transaction", "A payment completed"],
  shipment_updated: ["RECEIPT.TRACKING.UPDATED", "receipt", "A shipment's tracking status changed"],
  fraud_alert: ["RISK.ALERT.CREATED", "risk-alert", "PayPal flagged a payment as suspicious"],
} as const;

function resource(event: MockBankEvent, context: MockEventContext): Record<string, unknown> {
  const { account, change } = event;
  switch (change.kind) {
    case "balance_changed": {
      const { balance } = change;
      const available = balance.availableMinor;
      // As the Balances API reports it: what pending authorizations hold back.
      const withheld =
        available === null ? 0 : balance.limitMinor === null ? balance.currentMinor - available : balance.limitMinor - balance.currentMinor - available;
      return {
        account_id: account.id,
        currency: account.currency,
        primary: true,
        withheld_balance: paypalMoney(withheld, account.currency),
        total_balance: paypalMoney(balance.currentMinor, account.currency),
        ...(balance.availableMinor === null ? {} : { available_balance: paypalMoney(balance.availableMinor, account.currency) }),
        ...(balance.limitMinor === null ? {} : { credit_limit: paypalMoney(balance.limitMinor, account.currency) }),
        as_of_time: paypalTime(balance.asOf),
      };
    }
    case "transaction_pending":
    case "transaction_posted":
      return { account_id: account.id, transaction_details: renderTransaction(context, event.customer, change.record) };
    case "shipment_updated":
      return renderReceipt(change.receipt);
    case "fraud_alert":
      return {
        alert_id: change.alert.id,
        account_id: account.id,
        severity: change.alert.severity.toUpperCase(),
        reason: change.alert.reason,
        ...(change.alert.transactionId ? { transaction_id: change.alert.transactionId } : {}),
        ...(change.alert.amountMinor === null ? {} : { amount: paypalMoney(change.alert.amountMinor, account.currency) }),
        ...(change.alert.merchantName ? { merchant_name: change.alert.merchantName } : {}),
      };
  }
}

export const paypalEvents: MockEventFormat = {
  signatureHeader: "PAYPAL-TRANSMISSION-SIG",
  timestampHeader: "PAYPAL-TRANSMISSION-TIME",
  feed: { path: "/v1/notifications/webhooks-events", sinceParam: "since_sequence", listKey: "events", sequencePath: ["sequence_number"] },
  render(event, context) {
    const [eventType, resourceType, summary] = TYPE[event.change.kind];
    return {
      id: `WH-${event.id}`,
      event_version: "1.0",
      create_time: event.at.toISOString(),
      resource_type: resourceType,
      event_type: eventType,
      summary,
      resource: resource(event, context),
    };
  },
  // A payout item's status changed: `PAYMENT.PAYOUTS-ITEM.<status>`, the item as `GET /v1/payments/payouts-item/{id}` answers it.
  renderPayment(payment, eventId) {
    const status = PAYOUT_ITEM_STATUS[payment.status];
    return {
      id: `WH-${eventId}`,
      event_version: "1.0",
      create_time: payment.updatedAt.toISOString(),
      resource_type: "payouts_item",
      event_type: `PAYMENT.PAYOUTS-ITEM.${status === "SUCCESS" ? "SUCCEEDED" : status}`,
      summary: `A payout item is ${status.toLowerCase()}`,
      resource: renderPayoutItem(payment),
    };
  },
};
