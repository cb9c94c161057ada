/**
 * Chase's FDX money movement wire format (mocks/chase/openapi.yaml: `/payees`, `/payments`) as zod
 * schemas, in the style of wire.ts: strict on what the adapter reads, silent about the rest.
 */
import { z } from "zod";
import { fdxAmount } from "./wire.js";

/** An FDX Payment. */
export const fdxPayment = z.object({
  paymentId: z.string().min(1),
  fromAccountId: z.string().min(1),
  amount: fdxAmount.refine((n) => n > 0, "a payment's amount is positive"),
  status: z.string().min(1),
  statusReason: z.string().optional(),
  statusUpdatedTimestamp: z.iso.datetime({ offset: true }),
});
export type FdxPayment = z.infer<typeof fdxPayment>;

/** An FDX error body (`{ code, message, debugMessage }`). */
export const fdxError = z.object({ code: z.number().int(), message: z.string(), debugMessage: z.string().optional() });
export type FdxError = z.infer<typeof fdxError>;

/** What `POST /payments` and `GET /payments/{id}` answer: the payment, or Chase's refusal. */
export const paymentAnswer = z.union([fdxPayment, fdxError]);

/** `GET /payees`, or Chase's refusal. */
export const payeesAnswer = z.union([
  z.object({
    payees: z.array(
      z.object({
        payeeId: z.string().min(1),
        status: z.string(),
        merchant: z.object({ displayName: z.string(), merchantAccountIds: z.array(z.string()).default([]) }),
      }),
    ),
  }),
  fdxError,
]);
