/**
 * Wells Fargo's wire format as zod schemas. Strict on what the adapter reads (a garbled body
 * becomes BAD_RESPONSE), lenient on the rest: unknown keys are dropped, not rejected.
 */
import { z } from "zod";

const cents = z.number().int().refine(Number.isSafeInteger, "cents beyond a safe integer");
const epochMs = z.number().int().nonnegative();
const currencyCode = z.string().regex(/^[A-Za-z]{3}$/);
const link = z.object({ href: z.string().min(1) });

/** `GET /v2/accounts`. */
export const accountsResponse = z.object({
  accounts: z.array(
    z.object({
      account_id: z.string().min(1),
      // The full number: read only to take its last four digits, never kept.
      account_number: z.string().regex(/\d{4}$/, "account number without four trailing digits"),
      account_type: z.string(),
      product_name: z.string(),
      currency_code: currencyCode,
    }),
  ),
});
export type WfAccount = z.infer<typeof accountsResponse>["accounts"][number];

/** `POST /v2/balances/search`. */
export const balancesResponse = z.object({
  balances: z.array(
    z.object({
      account_id: z.string(),
      currency_code: currencyCode,
      ledger_balance_cents: cents,
      available_balance_cents: cents.nullable().optional(),
      credit_limit_cents: cents.nullable().optional(),
      as_of_ms: epochMs,
    }),
  ),
});
export type WfBalance = z.infer<typeof balancesResponse>["balances"][number];

const transaction = z
  .object({
    transaction_id: z.string().min(1),
    status: z.enum(["pending", "posted"]),
    amount_cents: cents,
    currency_code: currencyCode,
    description: z.string().default(""),
    category: z.string().nullable().optional(),
    merchant: z.object({ name: z.string(), mcc: z.string().nullable().optional() }).nullable().optional(),
    authorized_at_ms: epochMs,
    posted_at_ms: epochMs.nullable().optional(),
    pending_transaction_ref: z.string().nullable().optional(),
  })
  // A posted row is filed under its posting time, so it must have one.
  .refine((t) => t.status === "pending" || (t.posted_at_ms ?? null) !== null, "posted row without posted_at_ms");
export type WfTransaction = z.infer<typeof transaction>;

/** `POST` / `GET /v2/transactions/search`: one block per served page. */
export const searchResponse = z.object({
  results: z.array(
    z.object({
      account_id: z.string(),
      /** Echo of the continuation token this block answers; absent on first pages. */
      page_token: z.string().optional(),
      transactions: z.array(transaction),
      _links: z.object({ next: link.optional() }).optional(),
    }),
  ),
});
export type WfResultBlock = z.infer<typeof searchResponse>["results"][number];

/** `POST /v2/customers/lookup`. */
export const lookupResponse = z.object({
  customers: z.array(
    z.object({
      full_name: z.string(),
      email_address: z.string().nullable().optional(),
      phone_number: z.string().nullable().optional(),
      mailing_address: z
        .object({
          street_line_1: z.string(),
          street_line_2: z.string().nullable().optional(),
          city: z.string(),
          state_code: z.string(),
          zip_code: z.string(),
          country_code: z.string(),
        })
        .nullable()
        .optional(),
      account_ids: z.array(z.string()),
    }),
  ),
});
export type WfCustomer = z.infer<typeof lookupResponse>["customers"][number];
