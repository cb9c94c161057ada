/**
 * PayPal's send-money wire format (mocks/paypal/openapi.yaml: `/v1/payments/payouts`,
 * `/v1/payments/payouts-item/{id}`) as zod schemas, in the style of wire.ts: strict on what the
 * adapter reads, silent about the rest.
 */
import { z } from "zod";

const money = z.object({ currency_code: z.string().regex(/^[A-Z]{3}$/), value: z.string().regex(/^\d+(\.\d{1,2})?$/) });

/** One payout item: the payment, as PayPal reports it. */
export const payoutItem = z.object({
  payout_item_id: z.string().min(1),
  transaction_status: z.string().min(1),
  payout_item_fee: money.optional(),
  errors: z.object({ name: z.string(), message: z.string() }).optional(),
  time_processed: z.iso.datetime(),
});
export type PayoutItem = z.infer<typeof payoutItem>;

/** PayPal's REST error body. */
export const payPalError = z.object({ name: z.string().min(1), message: z.string(), details: z.array(z.object({ issue: z.string() })).optional() });
export type PayPalError = z.infer<typeof payPalError>;

/** `POST /v1/payments/payouts` (one item per batch), or PayPal's refusal. */
export const payoutAnswer = z.union([z.object({ batch_header: z.object({ payout_batch_id: z.string() }), items: z.array(payoutItem).length(1) }), payPalError]);

/** `GET /v1/payments/payouts-item/{id}`, or PayPal's refusal. */
export const payoutItemAnswer = z.union([payoutItem, payPalError]);
