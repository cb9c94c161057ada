/**
 * U.S. Bank's payments to registered payees (Zelle-like), in its own style: under `/v3`,
 * PascalCase, the `{ ResponseData, Status: { Code, Message } }` envelope, unsigned decimal-string
 * amounts. Every `POST /v3/payments` carries a `USB-Idempotency-Key` header: the same key with
 * the same body answers the original payment as it is now (200, Status "0000"); with another
 * body 409 "4090". Payment statuses are U.S. Bank's words: Submitted, InProcess, Completed,
 * Failed, Returned, Cancelled. Wire contract: openapi.yaml.
 */
import type { Response, Router } from "express";
import { z } from "zod";
import type { MockBankContext } from "../bank.js";
import { decimalAmount } from "../data/decimal-amount.js";
import type { MockPayment, MockPaymentStatus } from "../payments/mock-payment.js";
import { maskedDestination, payeeOf, payeesOf } from "../payments/registered-payees.js";
import { fingerprintOf } from "../payments/request-fingerprint.js";
import { usBankOk } from "./envelope.js";

/** The header U.S. Bank reads its idempotency key from. */
export const IDEMPOTENCY_HEADER = "USB-Idempotency-Key";

/** U.S. Bank's PaymentStatus per mock status. */
export const US_BANK_PAYMENT_STATUS: Record<MockPaymentStatus, string> = {
  submitted: "Submitted",
  pending: "InProcess",
  settled: "Completed",
  failed: "Failed",
  returned: "Returned",
  cancelled: "Cancelled",
};

/** Payment failures in the envelope: the HTTP status followed by a digit that says which. */
const FAILURE = {
  missingKey: [400, "4000", `The ${IDEMPOTENCY_HEADER} header is required (at most 64 characters)`],
  invalid: [400, "4001", "Invalid payment request"],
  accountNotFound: [404, "4040", "Account not found"],
  payeeNotFound: [404, "4041", "Payee not found"],
  paymentNotFound: [404, "4042", "Payment not found"],
  keyReused: [409, "4090", `The ${IDEMPOTENCY_HEADER} was already used for a different payment`],
  insufficientFunds: [422, "4221", "Insufficient available balance"],
} as const;

function fail(res: Response, failure: (typeof FAILURE)[keyof typeof FAILURE]): void {
  const [status, code, message] = failure;
  res.status(status).json({ ResponseData: null, Status: { Code: code, Message: message } });
}

const PaymentRequest = z.strictObject({
  FromAccountID: z.string().min(1),
  PayeeID: z.string().min(1),
  Amount: z.string().regex(/^\d{1,7}\.\d{2}$/),
  CurrencyCode: z.literal("USD"),
  Memo: z.string().max(140).optional(),
});

/** One payment in U.S. Bank's shape (also the `Payment` of a status webhook). */
export function renderPayment(payment: MockPayment): Record<string, unknown> {
  return {
    PaymentID: payment.id,
    FromAccountID: payment.accountId,
    PayeeID: payment.payee.kind === "registered" ? payment.payee.payeeId : null,
    PayeeName: payment.payeeName,
    Amount: decimalAmount(payment.amountMinor),
    Fee: decimalAmount(payment.feeMinor),
    CurrencyCode: payment.currency,
    Memo: payment.reference,
    PaymentStatus: US_BANK_PAYMENT_STATUS[payment.status],
    StatusReason: payment.reason,
    StatusDateTime: payment.updatedAt.toISOString(),
    CreatedDateTime: payment.createdAt.toISOString(),
  };
}

export function mountUsBankPayments(router: Router, bank: MockBankContext, base: string): void {
  router.get(`${base}/payees`, bank.guard("payments"), (req, res) => {
    const payees = payeesOf(bank.data, bank.customerOf(req).id);
    usBankOk(res, {
      PayeeList: payees.map((p) => ({
        PayeeID: p.id,
        PayeeName: p.name,
        DeliveryMethod: p.destination.kind === "email" ? "Email" : p.destination.kind === "phone" ? "Mobile" : "Account",
        MaskedToken: maskedDestination(p),
      })),
    });
  });

  router.post(`${base}/payments`, bank.guard("payments"), (req, res) => {
    const key = req.get(IDEMPOTENCY_HEADER);
    if (!key || key.length > 64) return fail(res, FAILURE.missingKey);
    const parsed = PaymentRequest.safeParse(req.body);
    if (!parsed.success || Number(parsed.data.Amount) <= 0) return fail(res, FAILURE.invalid);
    const customer = bank.customerOf(req);
    const account = bank.data.accountOf(customer.id, parsed.data.FromAccountID);
    if (!account) return fail(res, FAILURE.accountNotFound);
    const payee = payeeOf(bank.data, customer.id, parsed.data.PayeeID);
    if (!payee) return fail(res, FAILURE.payeeNotFound);
    const outcome = bank.payments.submit(key, fingerprintOf(parsed.data), {
      customerId: customer.id,
      accountId: account.id,
      payee: { kind: "registered", payeeId: payee.id },
      payeeName: payee.name,
      amountMinor: Number(parsed.data.Amount.replace(".", "")),
      currency: account.currency,
      reference: parsed.data.Memo ?? "",
      feeMinor: 0,
    });
    switch (outcome.kind) {
      case "insufficient_funds":
        return fail(res, FAILURE.insufficientFunds);
      case "key_reused":
        return fail(res, FAILURE.keyReused);
      case "replayed":
        return usBankOk(res, { Payment: renderPayment(outcome.payment) });
      case "created":
        if (bank.swallowPaymentAnswer()) return;
        res.status(201);
        return usBankOk(res, { Payment: renderPayment(outcome.payment) });
    }
  });

  router.get(`${base}/payments/:paymentId`, bank.guard("payments"), (req, res) => {
    const payment = bank.payments.get(bank.customerOf(req).id, String(req.params.paymentId));
    if (!payment || !bank.data.accountOf(payment.customerId, payment.accountId)) return fail(res, FAILURE.paymentNotFound);
    usBankOk(res, { Payment: renderPayment(payment) });
  });
}
