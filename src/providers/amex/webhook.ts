/**
 * American Express's webhook format (mocks/amex/openapi.yaml `webhooks:`): notifications keyed
 * by `account_token`, `details` in the API's own shapes (read with its wire schemas and translations).
 */
import { z } from "zod";
import { TransactionStatus } from "../../domain/model.js";
import { moneyFromDecimal, negate } from "../../domain/money.js";
import { FraudAlertSeverity, type BankEvent } from "../../domain/bank-event.js";
import type { ProviderWebhooks } from "../provider-module.js";
import { toBalance, toReceipt, toTransaction } from "./translate.js";
import { amountDecimal, balancesResponse, receiptsResponse, transactionsResponse } from "./wire.js";

const balance = balancesResponse.shape.balances.element;
const transaction = transactionsResponse.shape.cards.element.shape.transactions.element;
const receipt = receiptsResponse.shape.receipts.element;
const amount = balance.shape.statement_balance;
const date = z.string().regex(/^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/);
const time = z.string().regex(/^([01]\d|2[0-3])[0-5]\d[0-5]\d$/);

const notification = z.object({ notification_id: z.string().min(1), created_date: date, created_time: time, account_token: z.string().min(1) }).and(
  z.discriminatedUnion("notification_type", [
    z.object({ notification_type: z.literal("BALANCE_UPDATE"), details: balance }),
    z.object({ notification_type: z.literal("CHARGE_AUTHORIZED"), details: transaction }),
    z.object({ notification_type: z.literal("CHARGE_POSTED"), details: transaction }),
    z.object({ notification_type: z.literal("SHIPMENT_UPDATE"), details: receipt }),
    z.object({
      notification_type: z.literal("FRAUD_ALERT"),
      details: z.object({
        alert_id: z.string().min(1),
        severity: z.enum(["LOW", "MEDIUM", "HIGH"]),
        reason: z.string(),
        transaction_id: z.string().nullish(),
        amount: amount.nullish(),
        type: z.enum(["DEBIT", "CREDIT"]).nullish(),
        merchant_name: z.string().nullish(),
      }),
    }),
  ]),
);

/** `YYYYMMDD` + `HHMMSS` (UTC) → Date. */
function instant(d: string, t: string): Date {
  return new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}Z`);
}

/** One notification per delivery. */
export function parseAmexWebhook(body: unknown): BankEvent[] {
  const n = notification.parse(body);
  const base = { eventId: n.notification_id, accountId: n.account_token, occurredAt: instant(n.created_date, n.created_time) };
  switch (n.notification_type) {
    case "BALANCE_UPDATE":
      return [{ ...base, kind: "BALANCE_CHANGED", balance: toBalance(n.details) }];
    case "CHARGE_AUTHORIZED":
    case "CHARGE_POSTED": {
      const posted = n.notification_type === "CHARGE_POSTED";
      const t = toTransaction(n.details, n.account_token);
      if (t.status !== (posted ? TransactionStatus.POSTED : TransactionStatus.PENDING)) throw new Error("status does not match the notification type");
      return [{ ...base, kind: posted ? "TRANSACTION_POSTED" : "TRANSACTION_PENDING", transaction: t }];
    }
    case "SHIPMENT_UPDATE":
      return [{ ...base, kind: "RECEIPT_UPDATED", receipt: toReceipt(n.details) }];
    case "FRAUD_ALERT": {
      const d = n.details;
      const unsigned = d.amount ? moneyFromDecimal(amountDecimal(d.amount), d.amount.currency) : null;
      return [
        {
          ...base,
          kind: "FRAUD_ALERT",
          alert: {
            id: d.alert_id,
            accountId: n.account_token,
            transactionId: d.transaction_id ?? null,
            severity: FraudAlertSeverity[d.severity],
            reason: d.reason,
            // A DEBIT is money out of the member's account.
            amount: unsigned && d.type === "DEBIT" ? negate(unsigned) : unsigned,
            merchantName: d.merchant_name ?? null,
            at: base.occurredAt,
          },
        },
      ];
    }
  }
}

export const amexWebhooks: ProviderWebhooks = {
  signatureHeader: "X-Amex-Signature",
  timestampHeader: "X-Amex-Timestamp",
  parse: parseAmexWebhook,
  feed: { path: "/servicing/v1/notifications", sinceParam: "since_sequence", listKey: "notifications", sequencePath: ["sequence_number"] },
};
