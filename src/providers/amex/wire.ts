/**
 * American Express response bodies as zod schemas: strict on what the adapter reads, silent
 * about the rest.
 */
import { z } from "zod";
import { minorFromDecimal } from "../../domain/money.js";

/** `value` minor units at `exponent` decimals, e.g. `{ value: 1234, exponent: 2 }` = 12.34. */
export function amountDecimal(amount: { value: number; exponent: number }): string {
  const digits = String(amount.value).padStart(amount.exponent + 1, "0");
  const cut = digits.length - amount.exponent;
  return amount.exponent === 0 ? digits : `${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

const amount = z
  .object({
    value: z.number().int().nonnegative(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    exponent: z.number().int().min(0).max(6),
  })
  .refine((a) => {
    try {
      minorFromDecimal(amountDecimal(a), a.currency);
      return true;
    } catch {
      return false;
    }
  }, "more decimals than the currency has");
export type AmexAmount = z.infer<typeof amount>;

const date = z.string().regex(/^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/);
const time = z.string().regex(/^([01]\d|2[0-3])[0-5]\d[0-5]\d$/);

export const accountsResponse = z.object({
  accounts: z.array(
    z.object({
      account_token: z.string().min(1),
      product: z.object({ name: z.string(), type: z.enum(["CHARGE", "CREDIT", "CHECKING", "SAVINGS"]) }),
      last_four: z.string().regex(/^\d{4,5}$/),
      currency_code: z.string().regex(/^[A-Z]{3}$/),
    }),
  ),
});
export type AmexAccount = z.infer<typeof accountsResponse>["accounts"][number];

export const balancesResponse = z.object({
  balances: z.array(
    z.object({
      account_token: z.string(),
      statement_balance: amount,
      payments_credits: amount,
      available_credit: amount.nullable(),
      credit_limit: amount.nullable(),
      as_of_date: date,
      as_of_time: time,
    }),
  ),
});
export type AmexBalance = z.infer<typeof balancesResponse>["balances"][number];

const transaction = z.object({
  transaction_id: z.string().min(1),
  status: z.enum(["pending", "posted"]),
  type: z.enum(["DEBIT", "CREDIT"]),
  amount,
  charge_date: date,
  charge_time: time,
  post_date: date.nullable(),
  description: z.string(),
  merchant: z.object({ name: z.string(), mcc: z.string().nullish() }).nullable(),
  category: z.string().nullish(),
  authorization_id: z.string().nullish(),
  receipt_id: z.string().nullish(),
});
export type AmexTransaction = z.infer<typeof transaction>;

export const transactionsResponse = z.object({
  cards: z.array(
    z.object({
      account_token: z.string(),
      transactions: z.array(transaction),
      next_token: z.string().min(1).nullable(),
    }),
  ),
});

const scanEvent = z.object({
  status: z.string(),
  scan_date: date,
  scan_time: time,
  location: z.string().nullish(),
  description: z.string().nullish(),
});

const receipt = z.object({
  receipt_id: z.string(),
  transaction_id: z.string(),
  account_token: z.string(),
  merchant_name: z.string(),
  purchase_date: date,
  purchase_time: time,
  line_items: z.array(
    z.object({
      description: z.string(),
      sku: z.string().nullish(),
      quantity: z.number().int().positive(),
      unit_price: amount,
      total: amount,
    }),
  ),
  subtotal: amount,
  tax: amount.nullish(),
  total: amount,
  shipping: z
    .object({
      carrier_name: z.string(),
      tracking_id: z.string(),
      delivery_status: z.string(),
      estimated_delivery_date: date.nullish(),
      scan_events: z.array(scanEvent).default([]),
    })
    .nullable(),
});
export type AmexReceipt = z.infer<typeof receipt>;

export const receiptsResponse = z.object({ receipts: z.array(receipt) });

export const profileResponse = z.object({
  profiles: z.array(
    z.object({
      account_token: z.string(),
      name: z.object({ first_name: z.string(), last_name: z.string() }),
      email_address: z.string().nullish(),
      phone_number: z.string().nullish(),
      billing_address: z
        .object({
          address_line_1: z.string(),
          address_line_2: z.string().nullish(),
          city: z.string(),
          state_code: z.string(),
          postal_code: z.string(),
          country_code: z.string(),
        })
        .nullish(),
    }),
  ),
});
export type AmexProfile = z.infer<typeof profileResponse>["profiles"][number];
