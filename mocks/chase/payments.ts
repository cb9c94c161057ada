/**
 * Chase's FDX money movement (FDX 5.x/6 `/payees` and `/payments`): payments to payees the
 * customer registered (Zelle-like), each POST carrying an `idempotency-key` header. The same key
 * with the same body answers the original payment (200, its current status); with another body
 * 409. Amounts are JSON numbers of dollars, times Eastern, statuses FDX PaymentStatus codes
 * (SCHEDULED, PROCESSING, PROCESSED, FAILED, CANCELLED, NOFUNDS) plus Chase's RETURNED for a
 * payment that came back after it was processed. Wire contract: openapi.yaml.
 */
import type { Router } from "express";
import { z } from "zod";
import type { MockBankContext } from "../bank.js";
import type { MockPayment, MockPaymentStatus } from "../payments/mock-payment.js";
import { maskedDestination, payeeOf, payeesOf } from "../payments/registered-payees.js";
import { fingerprintOf } from "../payments/request-fingerprint.js";
import { FDX_ERROR, sendFdxError } from "./fdx-errors.js";
import { dollars, easternTimestamp } from "./fdx-render.js";
import { FDX_BASE } from "./routes.js";

/** FDX PaymentStatus per mock status. */
export const FDX_PAYMENT_STATUS: Record<MockPaymentStatus, string> = {
  submitted: "SCHEDULED",
  pending: "PROCESSING",
  settled: "PROCESSED",
  failed: "FAILED",
  returned: "RETURNED",
  cancelled: "CANCELLED",
};

/** FDX PaymentForUpdate, as Chase takes it: amount in dollars with at most two decimals. */
const PaymentRequest = z.strictObject({
  fromAccountId: z.string().min(1),
  toPayeeId: z.string().min(1),
  amount: z.number().positive().max(1_000_000).multipleOf(0.01),
  /** When to pay; absent = now (this mock pays every payment now). */
  dueDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  memo: z.string().max(140).optional(),
});

/** One FDX Payment (also the payload of a payment notification). */
export function renderPayment(payment: MockPayment): Record<string, unknown> {
  return {
    paymentId: payment.id,
    fromAccountId: payment.accountId,
    toPayeeId: payment.payee.kind === "registered" ? payment.payee.payeeId : null,
    amount: dollars(payment.amountMinor),
    dueDate: easternTimestamp(payment.createdAt).slice(0, 10),
    ...(payment.reference ? { memo: payment.reference } : {}),
    status: FDX_PAYMENT_STATUS[payment.status],
    ...(payment.reason ? { statusReason: payment.reason } : {}),
    statusUpdatedTimestamp: easternTimestamp(payment.updatedAt),
    links: [{ href: `${FDX_BASE}/payments/${payment.id}`, rel: "self", action: "GET" }],
  };
}

export function mountPaymentRoutes(router: Router, bank: MockBankContext): void {
  router.get(`${FDX_BASE}/payees`, bank.guard("payments"), (req, res) => {
    const payees = payeesOf(bank.data, bank.customerOf(req).id);
    res.json({
      page: { totalElements: payees.length },
      payees: payees.map((p) => ({
        payeeId: p.id,
        status: "ACTIVE",
        merchant: { displayName: p.name, merchantAccountIds: [maskedDestination(p)] },
      })),
    });
  });

  router.post(`${FDX_BASE}/payments`, bank.guard("payments"), (req, res) => {
    const key = req.get("idempotency-key");
    if (!key || key.length > 255) return sendFdxError(res, FDX_ERROR.invalidParameter, "The idempotency-key header is required (at most 255 characters)");
    const parsed = PaymentRequest.safeParse(req.body);
    if (!parsed.success) return sendFdxError(res, FDX_ERROR.invalidParameter, z.prettifyError(parsed.error));
    const customer = bank.customerOf(req);
    const { fromAccountId, toPayeeId, amount, memo } = parsed.data;
    const account = bank.data.accountOf(customer.id, fromAccountId);
    if (!account) return sendFdxError(res, FDX_ERROR.accountNotFound, "No such account for this customer");
    const payee = payeeOf(bank.data, customer.id, toPayeeId);
    if (!payee) return sendFdxError(res, FDX_ERROR.payeeNotFound, "No such payee for this customer");
    const outcome = bank.payments.submit(key, fingerprintOf(parsed.data), {
      customerId: customer.id,
      accountId: account.id,
      payee: { kind: "registered", payeeId: payee.id },
      payeeName: payee.name,
      amountMinor: Math.round(amount * 100),
      currency: account.currency,
      reference: memo ?? "",
      feeMinor: 0,
    });
    switch (outcome.kind) {
      case "insufficient_funds":
        return sendFdxError(res, FDX_ERROR.noFunds, "NOFUNDS: the account's available balance does not cover the payment");
      case "key_reused":
        return sendFdxError(res, FDX_ERROR.duplicateRequest, "This idempotency-key was used for a different payment");
      case "replayed":
        return void res.status(200).json(renderPayment(outcome.payment));
      case "created":
        if (bank.swallowPaymentAnswer()) return;
        return void res.status(201).json(renderPayment(outcome.payment));
    }
  });

  router.get(`${FDX_BASE}/payments/:paymentId`, bank.guard("payments"), (req, res) => {
    const payment = bank.payments.get(bank.customerOf(req).id, String(req.params.paymentId));
    if (!payment || !bank.data.accountOf(payment.customerId, payment.accountId)) return sendFdxError(res, FDX_ERROR.paymentNotFound, "No such payment");
    res.json(renderPayment(payment));
  });
}
