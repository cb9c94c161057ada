/**
 * PayPal's payment rail: Payouts-style send money (mocks/paypal/openapi.yaml) ↔ payment-rail.ts.
 * Pays an email address or a phone number (PayPal has no registered payees), one item per batch,
 * sends Bankgraph's idempotency key as `PayPal-Request-Id` (and as the batch's `sender_batch_id`,
 * so the same payment is the same body on a retry), and reads PayPal's refusals as PaymentRefused.
 * PayPal reports the fee on the payout item but quotes none before.
 */
import type { BankPaymentStatus, PaymentRail } from "../payment-rail.js";
import { PaymentRefused } from "../payment-refusal.js";
import type { ProviderOptions } from "../provider-module.js";
import { refusalOf, toStatus } from "./payment-status.js";
import { payoutAnswer, payoutItemAnswer, type PayoutItem, type PayPalError } from "./payment-wire.js";

const NAME = "PayPal";
/** The refusals PayPal answers in its error body (the rest are failures of the call). */
const REFUSAL_STATUSES = [400, 403, 404, 422] as const;

/** Builds PayPal's payment rail over an HTTP client bound to PayPal's base URL. */
export function createPayPalPaymentRail({ http }: ProviderOptions): PaymentRail {
  const read = (item: PayoutItem | PayPalError, where: string): BankPaymentStatus => {
    if ("name" in item) throw new PaymentRefused(refusalOf(item), http.institutionId, NAME, `${where}: ${item.details?.[0]?.issue ?? item.name}`);
    return toStatus(item);
  };

  return {
    async listPayees() {
      return [];
    },

    async quoteFee() {
      return null;
    },

    async submit(session, submission) {
      const { payee, amount } = submission;
      if (payee.kind === "REGISTERED_PAYEE") throw new PaymentRefused("INVALID", http.institutionId, NAME, "PayPal pays an email address or a phone number");
      const body = await http.request(
        {
          method: "POST",
          path: "/v1/payments/payouts",
          session,
          headers: { "PayPal-Request-Id": submission.idempotencyKey },
          json: {
            sender_batch_header: { sender_batch_id: submission.idempotencyKey },
            funding_account_id: submission.fromAccountId,
            items: [
              {
                recipient_type: payee.kind,
                receiver: payee.kind === "EMAIL" ? payee.email : payee.phone,
                amount: { value: amount.amount, currency: amount.currency },
                ...(submission.reference ? { note: submission.reference } : {}),
              },
            ],
          },
          answers: REFUSAL_STATUSES,
        },
        payoutAnswer,
      );
      return read("name" in body ? body : body.items[0]!, "POST /v1/payments/payouts");
    },

    async status(session, bankPaymentId) {
      const body = await http.request(
        { path: `/v1/payments/payouts-item/${encodeURIComponent(bankPaymentId)}`, session, answers: [403, 404] },
        payoutItemAnswer,
      );
      return read(body, "GET /v1/payments/payouts-item/{id}");
    },
  };
}
