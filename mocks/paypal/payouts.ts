/**
 * PayPal's send-money API in the shape of Payouts (`/v1/payments/payouts`): one item per batch,
 * to an email address or a phone number, from one of the customer's PayPal accounts
 * (`funding_account_id`, this mock's addition). The `PayPal-Request-Id` header is required: the
 * same id with the same body answers the original payout (200, its current status); with another
 * body 422 `DUPLICATE_REQUEST_ID`. Item statuses are PayPal's (`PENDING`, `PROCESSING`, `SUCCESS`,
 * `FAILED`, `RETURNED`, `CANCELED`), errors its `{ name, message, debug_id, details }`. Wire contract: openapi.yaml.
 */
import type { Response, Router } from "express";
import { z } from "zod";
import type { MockBankContext } from "../bank.js";
import type { MockPayment, MockPaymentStatus } from "../payments/mock-payment.js";
import { fingerprintOf } from "../payments/request-fingerprint.js";
import { debugId, paypalMoney } from "./format.js";

/** PayPal's payout item `transaction_status` per mock status. */
export const PAYOUT_ITEM_STATUS: Record<MockPaymentStatus, string> = {
  submitted: "PENDING",
  pending: "PROCESSING",
  settled: "SUCCESS",
  failed: "FAILED",
  returned: "RETURNED",
  cancelled: "CANCELED",
};

const PAYOUTS = "/v1/payments/payouts";
const ITEMS = "/v1/payments/payouts-item";

const PayoutRequest = z.strictObject({
  sender_batch_header: z.strictObject({ sender_batch_id: z.string().min(1).max(256), email_subject: z.string().max(255).optional() }),
  funding_account_id: z.string().min(1),
  items: z
    .array(
      z.strictObject({
        recipient_type: z.enum(["EMAIL", "PHONE"]),
        amount: z.strictObject({ value: z.string().regex(/^\d{1,7}\.\d{2}$/), currency: z.literal("USD") }),
        receiver: z.string().min(3).max(127),
        note: z.string().max(4000).optional(),
        sender_item_id: z.string().max(63).optional(),
      }),
    )
    .length(1),
});

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PHONE = /^\+[1-9]\d{6,14}$/;

type PayPalError = [status: number, name: string, message: string, issue?: string];

const ERROR = {
  missingRequestId: [400, "INVALID_REQUEST", "Request is not well-formed, syntactically incorrect, or violates schema.", "MISSING_REQUEST_ID"],
  invalid: [400, "VALIDATION_ERROR", "Invalid request - see details."],
  fundingNotFound: [422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed.", "FUNDING_SOURCE_NOT_FOUND"],
  duplicateRequestId: [422, "UNPROCESSABLE_ENTITY", "The requested action could not be performed.", "DUPLICATE_REQUEST_ID"],
  insufficientFunds: [422, "INSUFFICIENT_FUNDS", "Sender does not have sufficient funds. Please add funds and retry."],
  notFound: [404, "RESOURCE_NOT_FOUND", "The specified resource does not exist."],
} as const satisfies Record<string, PayPalError>;

function fail(res: Response, [status, name, message, issue]: PayPalError, description?: string): void {
  res.status(status).json({ name, message, debug_id: debugId(), ...(issue ? { details: [{ issue, ...(description ? { description } : {}) }] } : {}) });
}

/** One payout item (also the resource of a `PAYMENT.PAYOUTS-ITEM.*` webhook). */
export function renderPayoutItem(payment: MockPayment): Record<string, unknown> {
  const receiver = payment.payee.kind === "email" ? payment.payee.email : payment.payee.kind === "phone" ? payment.payee.phone : payment.payee.payeeId;
  return {
    payout_item_id: payment.id,
    transaction_id: payment.transactionId,
    transaction_status: PAYOUT_ITEM_STATUS[payment.status],
    payout_batch_id: `B-${payment.id}`,
    funding_account_id: payment.accountId,
    payout_item_fee: paypalMoney(payment.feeMinor, payment.currency),
    payout_item: {
      recipient_type: payment.payee.kind === "phone" ? "PHONE" : "EMAIL",
      amount: { value: paypalMoney(payment.amountMinor, payment.currency).value, currency: payment.currency },
      note: payment.reference,
      receiver,
    },
    ...(payment.reason ? { errors: { name: payment.status === "returned" ? "RECEIVER_REFUNDED" : "RECEIVER_UNREGISTERED", message: payment.reason } } : {}),
    time_processed: payment.updatedAt.toISOString(),
    links: [{ href: `${ITEMS}/${payment.id}`, rel: "item", method: "GET" }],
  };
}

export function mountPayouts(router: Router, bank: MockBankContext): void {
  router.post(PAYOUTS, bank.guard("payments"), (req, res) => {
    const requestId = req.get("PayPal-Request-Id");
    if (!requestId || requestId.length > 108) return fail(res, ERROR.missingRequestId, "The PayPal-Request-Id header is required");
    const parsed = PayoutRequest.safeParse(req.body);
    const item = parsed.data?.items[0];
    if (!parsed.success || !item || Number(item.amount.value) <= 0) return fail(res, ERROR.invalid);
    const receiverOk = item.recipient_type === "EMAIL" ? EMAIL.test(item.receiver) : PHONE.test(item.receiver);
    if (!receiverOk) return fail(res, ERROR.invalid);
    const customer = bank.customerOf(req);
    const account = bank.data.accountOf(customer.id, parsed.data.funding_account_id);
    if (!account) return fail(res, ERROR.fundingNotFound, "funding_account_id is not one of your PayPal accounts");
    const outcome = bank.payments.submit(requestId, fingerprintOf(parsed.data), {
      customerId: customer.id,
      accountId: account.id,
      payee: item.recipient_type === "EMAIL" ? { kind: "email", email: item.receiver } : { kind: "phone", phone: item.receiver },
      payeeName: item.receiver,
      amountMinor: Number(item.amount.value.replace(".", "")),
      currency: account.currency,
      reference: item.note ?? "",
      feeMinor: 0,
    });
    const answer = (payment: MockPayment) => ({
      batch_header: {
        payout_batch_id: `B-${payment.id}`,
        batch_status: payment.status === "submitted" ? "PENDING" : payment.status === "pending" ? "PROCESSING" : "SUCCESS",
        sender_batch_header: parsed.data.sender_batch_header,
        time_created: payment.createdAt.toISOString(),
      },
      items: [renderPayoutItem(payment)],
    });
    switch (outcome.kind) {
      case "insufficient_funds":
        return fail(res, ERROR.insufficientFunds);
      case "key_reused":
        return fail(res, ERROR.duplicateRequestId, "This PayPal-Request-Id was used for a different request");
      case "replayed":
        return void res.status(200).json(answer(outcome.payment));
      case "created":
        if (bank.swallowPaymentAnswer()) return;
        return void res.status(201).json(answer(outcome.payment));
    }
  });

  router.get(`${ITEMS}/:itemId`, bank.guard("payments"), (req, res) => {
    const payment = bank.payments.get(bank.customerOf(req).id, String(req.params.itemId));
    if (!payment || !bank.data.accountOf(payment.customerId, payment.accountId)) return fail(res, ERROR.notFound);
    res.json(renderPayoutItem(payment));
  });
}
