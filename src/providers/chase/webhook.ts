/**
 * Chase's webhook format (FDX event notifications, mocks/chase/openapi.yaml `webhooks:`) →
 * domain events. The payload reuses the data API's FDX shapes, so the data API's wire schemas
 * and translations read it.
 */
import { z } from "zod";
import { TransactionStatus } from "../../domain/model.js";
import { moneyFromDecimal } from "../../domain/money.js";
import { FraudAlertSeverity, type BankEvent } from "../../domain/bank-event.js";
import type { ProviderWebhooks } from "../provider-module.js";
import { toStatus } from "./payment-status.js";
import { fdxPayment } from "./payment-wire.js";
import { toBalance, toTransaction } from "./translate.js";
import { accountsResponse, fdxAmount, transactionsResponse } from "./wire.js";

// The data API's entry schemas ({ depositAccount } / { depositTransaction } wrappers).
const accountEntry = accountsResponse.shape.accounts.element;
const transactionEntry = transactionsResponse.shape.results.element.shape.transactions.element;

const notification = z.object({
  notificationId: z.string().min(1),
  type: z.enum(["BALANCE_UPDATED", "TRANSACTION_PENDING", "TRANSACTION_POSTED", "FRAUD_SUSPECTED", "PAYMENT_STATUS_UPDATED"]),
  sentOn: z.iso.datetime({ offset: true }),
  notificationPayload: z.object({
    accountId: z.string().min(1),
    currency: z.object({ currencyCode: z.string().regex(/^[A-Za-z]{3}$/) }),
    account: accountEntry.optional(),
    transaction: transactionEntry.optional(),
    payment: fdxPayment.optional(),
    fraud: z
      .object({
        alertId: z.string().min(1),
        severity: z.enum(["LOW", "MEDIUM", "HIGH"]),
        reason: z.string(),
        transactionId: z.string().optional(),
        amount: fdxAmount.optional(),
        debitCreditMemo: z.enum(["DEBIT", "CREDIT"]).optional(),
        payee: z.string().optional(),
      })
      .optional(),
  }),
});

function need<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`notification without ${what}`);
  return value;
}

/** One notification per delivery. */
export function parseChaseWebhook(body: unknown): BankEvent[] {
  const n = notification.parse(body);
  const payload = n.notificationPayload;
  const currency = payload.currency.currencyCode.toUpperCase();
  const base = { eventId: n.notificationId, accountId: payload.accountId, occurredAt: new Date(n.sentOn) };
  switch (n.type) {
    case "BALANCE_UPDATED":
      return [{ ...base, kind: "BALANCE_CHANGED", balance: need(toBalance(need(payload.account, "account")), "balance") }];
    case "TRANSACTION_PENDING":
    case "TRANSACTION_POSTED": {
      const transaction = toTransaction(need(payload.transaction, "transaction"), payload.accountId, currency);
      if (transaction.status !== (n.type === "TRANSACTION_POSTED" ? TransactionStatus.POSTED : TransactionStatus.PENDING))
        throw new Error("status does not match the notification type");
      return [{ ...base, kind: n.type === "TRANSACTION_POSTED" ? "TRANSACTION_POSTED" : "TRANSACTION_PENDING", transaction }];
    }
    case "PAYMENT_STATUS_UPDATED":
      return [{ ...base, kind: "PAYMENT_STATUS_CHANGED", payment: toStatus(need(payload.payment, "payment")) }];
    case "FRAUD_SUSPECTED": {
      const fraud = need(payload.fraud, "fraud");
      const amount = fraud.amount === undefined ? null : moneyFromDecimal(`${fraud.debitCreditMemo === "DEBIT" ? "-" : ""}${fraud.amount}`, currency);
      return [
        {
          ...base,
          kind: "FRAUD_ALERT",
          alert: {
            id: fraud.alertId,
            accountId: payload.accountId,
            transactionId: fraud.transactionId ?? null,
            severity: FraudAlertSeverity[fraud.severity],
            reason: fraud.reason,
            amount,
            merchantName: fraud.payee ?? null,
            at: base.occurredAt,
          },
        },
      ];
    }
  }
}

export const chaseWebhooks: ProviderWebhooks = {
  signatureHeader: "FDX-Signature",
  timestampHeader: "FDX-Signature-Timestamp",
  parse: parseChaseWebhook,
  feed: { path: "/fdx/v6/notifications", sinceParam: "sinceSequenceNumber", listKey: "notifications", sequencePath: ["sequenceNumber"] },
};
