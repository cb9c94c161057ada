/**
 * PayPal's response bodies as zod schemas. Strict on what the adapter reads (a garbled body
 * becomes BAD_RESPONSE), silent about fields it does not read, since PayPal adds fields freely.
 */
import { z } from "zod";
import { minorFromDecimal } from "../../domain/money.js";

/** `2026-03-01T10:00:00+0000` (PayPal drops the offset colon), also accepting `Z` and `+00:00`. */
export const PAYPAL_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

const time = z.string().regex(PAYPAL_TIME);

const money = z.object({ currency_code: z.string().regex(/^[A-Z]{3}$/), value: z.string() }).refine((m) => {
  try {
    minorFromDecimal(m.value, m.currency_code);
    return true;
  } catch {
    return false;
  }
}, "value is not a decimal amount in its currency");
export type PayPalMoney = z.infer<typeof money>;

export const accountsResponse = z.object({
  accounts: z.array(
    z.object({
      account_id: z.string().min(1),
      account_type: z.enum(["BALANCE", "CREDIT_CARD"]),
      display_name: z.string(),
      currency_code: z.string().regex(/^[A-Z]{3}$/),
      funding_instrument: z.object({ last_digits: z.string().regex(/^\d{4,}$/) }),
    }),
  ),
});
export type PayPalAccount = z.infer<typeof accountsResponse>["accounts"][number];

export const balancesResponse = z.object({
  balances: z.array(
    z.object({
      account_id: z.string(),
      total_balance: money,
      available_balance: money.optional(),
      credit_limit: money.optional(),
    }),
  ),
  as_of_time: time,
});
export type PayPalBalance = z.infer<typeof balancesResponse>["balances"][number];

const transactionDetail = z.object({
  transaction_info: z.object({
    transaction_id: z.string().min(1),
    paypal_reference_id: z.string().optional(),
    transaction_event_code: z.string(),
    transaction_initiation_date: time,
    transaction_updated_date: time,
    transaction_amount: money,
    // P pending, S success; D denied and V reversed rows never moved money.
    transaction_status: z.enum(["P", "S", "D", "V"]),
    transaction_subject: z.string().optional(),
    invoice_id: z.string().optional(),
  }),
  payee_info: z
    .object({
      business_name: z.string(),
      merchant_category_code: z.string().optional(),
      business_category: z.string().optional(),
    })
    .optional(),
});
export type PayPalTransaction = z.infer<typeof transactionDetail>;

export const transactionsResponse = z.object({
  accounts: z.array(
    z.object({
      account_id: z.string(),
      transaction_details: z.array(transactionDetail),
      page: z.number().int().positive(),
      total_pages: z.number().int().nonnegative(),
    }),
  ),
});
export type PayPalAccountTransactions = z.infer<typeof transactionsResponse>["accounts"][number];

const tracker = z.object({
  tracking_number: z.string(),
  carrier: z.string(),
  status: z.string(),
  estimated_delivery_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  events: z.array(z.object({ status: z.string(), event_time: time, location: z.string().nullish(), description: z.string().nullish() })).default([]),
});
export type PayPalTracker = z.infer<typeof tracker>;

const receipt = z.object({
  receipt_id: z.string(),
  transaction_id: z.string(),
  account_id: z.string(),
  invoice_date: time,
  invoicer: z.object({ business_name: z.string() }),
  item_details: z.array(
    z.object({
      item_code: z.string().optional(),
      item_name: z.string(),
      item_quantity: z.string().regex(/^\d+$/),
      item_unit_price: money,
      item_amount: money.optional(),
    }),
  ),
  item_total: money,
  tax_amount: money.optional(),
  total_amount: money,
  trackers: z.array(tracker).default([]),
});
export type PayPalReceipt = z.infer<typeof receipt>;

export const receiptsResponse = z.object({ receipts: z.array(receipt) });

export const userinfoResponse = z.object({
  name: z.string(),
  emails: z.array(z.object({ value: z.string(), primary: z.boolean().optional() })).default([]),
  phone_number: z.string().optional(),
  address: z
    .object({
      street_address: z.string(),
      locality: z.string(),
      region: z.string(),
      postal_code: z.string(),
      country: z.string(),
    })
    .optional(),
  accounts: z.array(z.object({ account_id: z.string() })),
});
export type PayPalUserinfo = z.infer<typeof userinfoResponse>;
