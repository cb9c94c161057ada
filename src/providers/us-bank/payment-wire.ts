/**
 * U.S. Bank's payment wire format (mocks/us-bank/openapi.yaml: `/v3/payees`, `/v3/payments`) as
 * zod schemas, in the style of wire.ts: the `{ ResponseData, Status }` envelope, "0000" for
 * success, any other code a refusal the adapter reads.
 */
import { z } from "zod";

const amount = z.string().regex(/^\d+(\.\d{1,2})?$/);

/** One payment. */
export const UsBankPayment = z.object({
  PaymentID: z.string().min(1),
  FromAccountID: z.string().min(1),
  Amount: amount,
  Fee: amount.nullish(),
  CurrencyCode: z.string().regex(/^[A-Za-z]{3}$/),
  PaymentStatus: z.string().min(1),
  StatusReason: z.string().nullish(),
  StatusDateTime: z.iso.datetime(),
});
export type UsBankPayment = z.infer<typeof UsBankPayment>;

/** A refusal in the envelope: no data, a code that is not "0000". */
const refusal = z.object({ ResponseData: z.null(), Status: z.object({ Code: z.string().regex(/^[1-9]\d{3}$/), Message: z.string().optional() }) });
export type UsBankRefusal = z.infer<typeof refusal>;

const ok = <T extends z.ZodType>(responseData: T) => z.object({ ResponseData: responseData, Status: z.object({ Code: z.literal("0000") }) });

/** `POST /v3/payments`, `GET /v3/payments/{PaymentID}`: the payment, or the bank's refusal. */
export const UsBankPaymentAnswer = z.union([ok(z.object({ Payment: UsBankPayment })), refusal]);
export type UsBankPaymentAnswer = z.infer<typeof UsBankPaymentAnswer>;

/** `GET /v3/payees`, or the bank's refusal. */
export const UsBankPayeesAnswer = z.union([
  ok(z.object({ PayeeList: z.array(z.object({ PayeeID: z.string().min(1), PayeeName: z.string(), MaskedToken: z.string() })) })),
  refusal,
]);
