/**
 * PayPal's webhook format (mocks/paypal/openapi.yaml `webhooks:`): PayPal's event envelope with
 * resources in the REST API's own shapes (read with its wire schemas and translations).
 */
import { z } from "zod";
import { TransactionStatus } from "../../domain/model.js";
import { moneyFromDecimal } from "../../domain/money.js";
import { FraudAlertSeverity, type BankEvent } from "../../domain/bank-event.js";
import type { ProviderWebhooks } from "../provider-module.js";
import { toStatus } from "./payment-status.js";
import { payoutItem } from "./payment-wire.js";
import { fromPaypalTime, isSettledOrPending, toBalance, toReceipt, toTransaction } from "./translate.js";
import { balancesResponse, PAYPAL_TIME, receiptsResponse, transactionsResponse } from "./wire.js";

const balance = balancesResponse.shape.balances.element;
const transactionDetail = transactionsResponse.shape.accounts.element.shape.transaction_details.element;
const receipt = receiptsResponse.shape.receipts.element;
const money = balance.shape.total_balance;

const envelope = z.object({
  id: z.string().min(1),
  create_time: z.iso.datetime(),
  resource: z.unknown(),
});

const PAYOUT_ITEM_EVENTS = [
  "PAYMENT.PAYOUTS-ITEM.PENDING",
  "PAYMENT.PAYOUTS-ITEM.PROCESSING",
  "PAYMENT.PAYOUTS-ITEM.UNCLAIMED",
  "PAYMENT.PAYOUTS-ITEM.HELD",
  "PAYMENT.PAYOUTS-ITEM.SUCCEEDED",
  "PAYMENT.PAYOUTS-ITEM.FAILED",
  "PAYMENT.PAYOUTS-ITEM.BLOCKED",
  "PAYMENT.PAYOUTS-ITEM.DENIED",
  "PAYMENT.PAYOUTS-ITEM.RETURNED",
  "PAYMENT.PAYOUTS-ITEM.REFUNDED",
  "PAYMENT.PAYOUTS-ITEM.CANCELED",
] as const;

const resources = z.discriminatedUnion("event_type", [
  z.object({ event_type: z.literal("WALLET.BALANCE.UPDATED"), resource: balance.extend({ as_of_time: z.string().regex(PAYPAL_TIME) }) }),
  z.object({ event_type: z.literal("PAYMENT.PENDING"), resource: z.object({ account_id: z.string().min(1), transaction_details: transactionDetail }) }),
  z.object({ event_type: z.literal("PAYMENT.COMPLETED"), resource: z.object({ account_id: z.string().min(1), transaction_details: transactionDetail }) }),
  z.object({ event_type: z.literal("RECEIPT.TRACKING.UPDATED"), resource: receipt }),
  // A payout item's status changed (PENDING, PROCESSING, SUCCEEDED, FAILED, RETURNED, …): the item carries it.
  ...PAYOUT_ITEM_EVENTS.map((type) => z.object({ event_type: z.literal(type), resource: payoutItem.extend({ funding_account_id: z.string().min(1) }) })),
  z.object({
    event_type: z.literal("RISK.ALERT.CREATED"),
    resource: z.object({
      alert_id: z.string().min(1),
      account_id: z.string().min(1),
      severity: z.enum(["LOW", "MEDIUM", "HIGH"]),
      reason: z.string(),
      transaction_id: z.string().optional(),
      amount: money.optional(),
      merchant_name: z.string().optional(),
    }),
  }),
]);

/** One event per delivery. */
export function parsePayPalWebhook(body: unknown): BankEvent[] {
  const head = envelope.parse(body);
  const e = resources.parse(body);
  const occurredAt = new Date(head.create_time);
  const eventId = head.id;
  switch (e.event_type) {
    case "WALLET.BALANCE.UPDATED": {
      const { as_of_time: asOf, ...wire } = e.resource;
      return [{ eventId, accountId: wire.account_id, occurredAt, kind: "BALANCE_CHANGED", balance: toBalance(wire, fromPaypalTime(asOf)) }];
    }
    case "PAYMENT.PENDING":
    case "PAYMENT.COMPLETED": {
      const posted = e.event_type === "PAYMENT.COMPLETED";
      const detail = e.resource.transaction_details;
      if (!isSettledOrPending(detail)) throw new Error("a denied or reversed payment is not an event");
      const transaction = toTransaction(detail, e.resource.account_id);
      if (transaction.status !== (posted ? TransactionStatus.POSTED : TransactionStatus.PENDING)) throw new Error("status does not match the event type");
      return [{ eventId, accountId: e.resource.account_id, occurredAt, kind: posted ? "TRANSACTION_POSTED" : "TRANSACTION_PENDING", transaction }];
    }
    case "PAYMENT.PAYOUTS-ITEM.PENDING":
    case "PAYMENT.PAYOUTS-ITEM.PROCESSING":
    case "PAYMENT.PAYOUTS-ITEM.UNCLAIMED":
    case "PAYMENT.PAYOUTS-ITEM.HELD":
    case "PAYMENT.PAYOUTS-ITEM.SUCCEEDED":
    case "PAYMENT.PAYOUTS-ITEM.FAILED":
    case "PAYMENT.PAYOUTS-ITEM.BLOCKED":
    case "PAYMENT.PAYOUTS-ITEM.DENIED":
    case "PAYMENT.PAYOUTS-ITEM.RETURNED":
    case "PAYMENT.PAYOUTS-ITEM.REFUNDED":
    case "PAYMENT.PAYOUTS-ITEM.CANCELED":
      return [{ eventId, accountId: e.resource.funding_account_id, occurredAt, kind: "PAYMENT_STATUS_CHANGED", payment: toStatus(e.resource) }];
    case "RECEIPT.TRACKING.UPDATED":
      return [{ eventId, accountId: e.resource.account_id, occurredAt, kind: "RECEIPT_UPDATED", receipt: toReceipt(e.resource) }];
    case "RISK.ALERT.CREATED": {
      const r = e.resource;
      return [
        {
          eventId,
          accountId: r.account_id,
          occurredAt,
          kind: "FRAUD_ALERT",
          alert: {
            id: r.alert_id,
            accountId: r.account_id,
            transactionId: r.transaction_id ?? null,
            severity: FraudAlertSeverity[r.severity],
            reason: r.reason,
            amount: r.amount ? moneyFromDecimal(r.amount.value, r.amount.currency_code) : null,
            merchantName: r.merchant_name ?? null,
            at: occurredAt,
          },
        },
      ];
    }
  }
}

export const paypalWebhooks: ProviderWebhooks = {
  signatureHeader: "PAYPAL-TRANSMISSION-SIG",
  timestampHeader: "PAYPAL-TRANSMISSION-TIME",
  parse: parsePayPalWebhook,
  feed: { path: "/v1/notifications/webhooks-events", sinceParam: "since_sequence", listKey: "events", sequencePath: ["sequence_number"] },
};
