/**
 * U.S. Bank's webhook format (mocks/us-bank/openapi.yaml `webhooks:`): `{ EventHeader, EventData }`,
 * the data in the API's own shapes (read with its wire schemas and translations).
 */
import { z } from "zod";
import { TransactionStatus } from "../../domain/model.js";
import { moneyFromDecimal } from "../../domain/money.js";
import { FraudAlertSeverity, type BankEvent } from "../../domain/bank-event.js";
import type { ProviderWebhooks } from "../provider-module.js";
import { toStatus } from "./payment-status.js";
import { UsBankPayment } from "./payment-wire.js";
import { toBalance, toTransaction } from "./translate.js";
import { UsBankBalance, UsBankTransaction } from "./wire.js";

const fraudAlert = z.object({
  AlertID: z.string().min(1),
  Severity: z.enum(["Low", "Medium", "High"]),
  Reason: z.string(),
  TransactionID: z.string().nullish(),
  Amount: z
    .string()
    .regex(/^\d+(\.\d{1,2})?$/)
    .nullish(),
  DebitCreditIndicator: z.enum(["D", "C"]).nullish(),
  CurrencyCode: z.string().regex(/^[A-Za-z]{3}$/),
  MerchantName: z.string().nullish(),
});

const delivery = z.object({
  EventHeader: z.object({
    EventID: z.string().min(1),
    EventType: z.enum(["BalanceUpdate", "TransactionMemo", "TransactionPosted", "FraudAlert", "PaymentStatusUpdate"]),
    EventDateTime: z.iso.datetime(),
  }),
  EventData: z.object({
    AccountID: z.string().min(1),
    Balance: UsBankBalance.optional(),
    Transaction: UsBankTransaction.optional(),
    FraudAlert: fraudAlert.optional(),
    Payment: UsBankPayment.optional(),
  }),
});

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`event without ${what}`);
  return value;
}

/** One event per delivery. */
export function parseUsBankWebhook(body: unknown): BankEvent[] {
  const { EventHeader: header, EventData: data } = delivery.parse(body);
  const base = { eventId: header.EventID, accountId: data.AccountID, occurredAt: new Date(header.EventDateTime) };
  switch (header.EventType) {
    case "BalanceUpdate":
      return [{ ...base, kind: "BALANCE_CHANGED", balance: toBalance(need(data.Balance, "Balance")) }];
    case "TransactionMemo":
    case "TransactionPosted": {
      const posted = header.EventType === "TransactionPosted";
      const transaction = toTransaction(need(data.Transaction, "Transaction"), data.AccountID);
      if (transaction.status !== (posted ? TransactionStatus.POSTED : TransactionStatus.PENDING)) throw new Error("status does not match the event type");
      return [{ ...base, kind: posted ? "TRANSACTION_POSTED" : "TRANSACTION_PENDING", transaction }];
    }
    case "PaymentStatusUpdate":
      return [{ ...base, kind: "PAYMENT_STATUS_CHANGED", payment: toStatus(need(data.Payment, "Payment")) }];
    case "FraudAlert": {
      const alert = need(data.FraudAlert, "FraudAlert");
      const amount = alert.Amount ? moneyFromDecimal(`${alert.DebitCreditIndicator === "D" ? "-" : ""}${alert.Amount}`, alert.CurrencyCode) : null;
      return [
        {
          ...base,
          kind: "FRAUD_ALERT",
          alert: {
            id: alert.AlertID,
            accountId: data.AccountID,
            transactionId: alert.TransactionID ?? null,
            severity: FraudAlertSeverity[alert.Severity.toUpperCase() as keyof typeof FraudAlertSeverity],
            reason: alert.Reason,
            amount,
            merchantName: alert.MerchantName ?? null,
            at: base.occurredAt,
          },
        },
      ];
    }
  }
}

export const usBankWebhooks: ProviderWebhooks = {
  signatureHeader: "USB-Webhook-Signature",
  timestampHeader: "USB-Webhook-Timestamp",
  parse: parseUsBankWebhook,
  feed: { path: "/v3/events", sinceParam: "SinceSequenceNumber", listKey: "Events", sequencePath: ["EventHeader", "SequenceNumber"] },
};
