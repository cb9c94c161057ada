/**
 * Citi's webhook format (mocks/citi/openapi.yaml `webhooks:`): batches of events, each with its
 * `details` in the data API's own shapes (read with its wire schemas and translations).
 */
import { z } from "zod";
import { moneyFromDecimal } from "../../domain/money.js";
import { FraudAlertSeverity, type BankEvent } from "../../domain/bank-event.js";
import type { ProviderWebhooks } from "../provider-module.js";
import { toBalance, toTransaction } from "./translate.js";
import { CitiBalance, CitiTransaction } from "./wire.js";

const citiFraud = z.object({
  alertId: z.string().min(1),
  alertSeverity: z.enum(["LOW", "MEDIUM", "HIGH"]),
  alertReason: z.string(),
  transactionId: z.string().nullish(),
  transactionAmount: z
    .string()
    .regex(/^[+-]?\d+(\.\d{1,2})?$/)
    .nullish(),
  currencyCode: z.string().regex(/^[A-Za-z]{3}$/),
  merchantName: z.string().nullish(),
});

const citiEvent = z
  .discriminatedUnion("eventType", [
    z.object({ eventType: z.literal("BALANCE_CHANGE"), details: CitiBalance }),
    z.object({ eventType: z.literal("TRANSACTION_AUTHORIZED"), details: CitiTransaction }),
    z.object({ eventType: z.literal("TRANSACTION_POSTED"), details: CitiTransaction }),
    z.object({ eventType: z.literal("FRAUD_ALERT"), details: citiFraud }),
  ])
  .and(z.object({ eventId: z.string().min(1), eventDateTime: z.iso.datetime(), accountId: z.string().min(1) }));

const delivery = z.object({ events: z.array(citiEvent).min(1).max(100) });

function toEvent(e: z.infer<typeof citiEvent>): BankEvent {
  const base = { eventId: e.eventId, accountId: e.accountId, occurredAt: new Date(e.eventDateTime) };
  switch (e.eventType) {
    case "BALANCE_CHANGE":
      return { ...base, kind: "BALANCE_CHANGED", balance: toBalance(e.details) };
    case "TRANSACTION_AUTHORIZED":
    case "TRANSACTION_POSTED": {
      const posted = e.eventType === "TRANSACTION_POSTED";
      if ((e.details.transactionStatus === "POSTED") !== posted) throw new Error("status does not match the event type");
      const transaction = toTransaction(e.details, e.accountId);
      return posted ? { ...base, kind: "TRANSACTION_POSTED", transaction } : { ...base, kind: "TRANSACTION_PENDING", transaction };
    }
    case "FRAUD_ALERT": {
      const d = e.details;
      return {
        ...base,
        kind: "FRAUD_ALERT",
        alert: {
          id: d.alertId,
          accountId: e.accountId,
          transactionId: d.transactionId ?? null,
          severity: FraudAlertSeverity[d.alertSeverity],
          reason: d.alertReason,
          amount: d.transactionAmount ? moneyFromDecimal(d.transactionAmount, d.currencyCode) : null,
          merchantName: d.merchantName ?? null,
          at: base.occurredAt,
        },
      };
    }
  }
}

/** Every event of the batch, in order. */
export function parseCitiWebhook(body: unknown): BankEvent[] {
  return delivery.parse(body).events.map(toEvent);
}

export const citiWebhooks: ProviderWebhooks = {
  signatureHeader: "X-Citi-Signature",
  timestampHeader: "X-Citi-Request-Time",
  parse: parseCitiWebhook,
  feed: { path: "/api/v1/event-batches", sinceParam: "fromSequence", listKey: "batches", sequencePath: ["sequence"] },
};
