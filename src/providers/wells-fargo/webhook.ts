/**
 * Wells Fargo's webhook format (mocks/wells-fargo/openapi.yaml `webhooks:`) → domain events. The
 * event data reuses the REST API's shapes, read with its wire schemas and translations.
 */
import { z } from "zod";
import { TransactionStatus } from "../../domain/model.js";
import { moneyFromMinor } from "../../domain/money.js";
import { FraudAlertSeverity, type BankEvent } from "../../domain/bank-event.js";
import type { ProviderWebhooks } from "../provider-module.js";
import { toBalance, toTransaction } from "./translate.js";
import { balancesResponse, searchResponse } from "./wire.js";

const balance = balancesResponse.shape.balances.element;
const transaction = searchResponse.shape.results.element.shape.transactions.element;
const cents = z.number().int().refine(Number.isSafeInteger, "cents beyond a safe integer");

const event = z.object({
  event_id: z.string().min(1),
  event_type: z.enum(["account.balance.updated", "transaction.pending", "transaction.posted", "fraud.alert.created"]),
  created_at_ms: z.number().int().nonnegative(),
  data: z.object({
    account_id: z.string().min(1),
    balance: balance.optional(),
    transaction: transaction.optional(),
    alert: z
      .object({
        alert_id: z.string().min(1),
        severity: z.enum(["low", "medium", "high"]),
        reason: z.string(),
        transaction_id: z.string().nullish(),
        amount_cents: cents.nullish(),
        currency_code: z.string().regex(/^[A-Za-z]{3}$/),
        merchant_name: z.string().nullish(),
      })
      .optional(),
  }),
});

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`event without ${what}`);
  return value;
}

/** One event per delivery. */
export function parseWellsFargoWebhook(body: unknown): BankEvent[] {
  const e = event.parse(body);
  const { data } = e;
  const base = { eventId: e.event_id, accountId: data.account_id, occurredAt: new Date(e.created_at_ms) };
  switch (e.event_type) {
    case "account.balance.updated":
      return [{ ...base, kind: "BALANCE_CHANGED", balance: toBalance(need(data.balance, "balance")) }];
    case "transaction.pending":
    case "transaction.posted": {
      const posted = e.event_type === "transaction.posted";
      const t = toTransaction(need(data.transaction, "transaction"), data.account_id);
      if (t.status !== (posted ? TransactionStatus.POSTED : TransactionStatus.PENDING)) throw new Error("status does not match the event type");
      return [{ ...base, kind: posted ? "TRANSACTION_POSTED" : "TRANSACTION_PENDING", transaction: t }];
    }
    case "fraud.alert.created": {
      const alert = need(data.alert, "alert");
      return [
        {
          ...base,
          kind: "FRAUD_ALERT",
          alert: {
            id: alert.alert_id,
            accountId: data.account_id,
            transactionId: alert.transaction_id ?? null,
            severity: FraudAlertSeverity[alert.severity.toUpperCase() as keyof typeof FraudAlertSeverity],
            reason: alert.reason,
            amount: alert.amount_cents === null || alert.amount_cents === undefined ? null : moneyFromMinor(alert.amount_cents, alert.currency_code),
            merchantName: alert.merchant_name ?? null,
            at: base.occurredAt,
          },
        },
      ];
    }
  }
}

export const wellsFargoWebhooks: ProviderWebhooks = {
  signatureHeader: "X-WF-Signature",
  timestampHeader: "X-WF-Timestamp",
  parse: parseWellsFargoWebhook,
  feed: { path: "/v2/webhook-events", sinceParam: "after_sequence", listKey: "events", sequencePath: ["sequence"] },
};
