/**
 * Chase's FDX v6 wire format as zod schemas. Strict on what the adapter reads (a garbled body
 * becomes BAD_RESPONSE), lenient on everything else: zod objects drop unknown keys, so fields
 * Chase adds later pass through unnoticed.
 */
import { z } from "zod";

/** FDX dollars as a JSON number; more than two decimals (or exponent notation) is not money. */
export const fdxAmount = z.number().refine((n) => /^-?\d+(\.\d{1,2})?$/.test(String(n)), "amount with more than 2 decimals");

/** ISO 8601 with an explicit offset, as Chase stamps times in US Eastern. */
const fdxTimestamp = z.iso.datetime({ offset: true });

const currency = z.object({ currencyCode: z.string().regex(/^[A-Za-z]{3}$/) });

/** An FDX deposit or line-of-credit account; balance fields only in `resultType=details`. */
export const accountBody = z.object({
  accountId: z.string().min(1),
  accountType: z.string(),
  accountNumberDisplay: z.string(),
  nickname: z.string().optional(),
  productName: z.string().optional(),
  currency,
  balanceAsOf: fdxTimestamp.optional(),
  currentBalance: fdxAmount.optional(),
  availableBalance: fdxAmount.optional(),
  availableCredit: fdxAmount.optional(),
  creditLine: fdxAmount.optional(),
});
export type FdxAccount = z.infer<typeof accountBody>;

/** `{ depositAccount }` or `{ locAccount }`; other FDX categories (loans, investments) are not ours to read. */
const accountEntry = z
  .object({ depositAccount: accountBody.optional(), locAccount: accountBody.optional() })
  .transform((e) => e.depositAccount ?? e.locAccount ?? null);

const page = z.object({ nextOffset: z.string().optional(), totalElements: z.number().int().nonnegative().optional() });

/** `GET /fdx/v6/accounts`; null entries are account categories the adapter does not read. */
export const accountsResponse = z.object({ page: page.optional(), accounts: z.array(accountEntry) });

const transactionBody = z
  .object({
    transactionId: z.string().min(1),
    transactionTimestamp: fdxTimestamp.optional(),
    postedTimestamp: fdxTimestamp.optional(),
    description: z.string().default(""),
    debitCreditMemo: z.enum(["DEBIT", "CREDIT"]),
    status: z.enum(["PENDING", "POSTED"]),
    amount: fdxAmount.refine((n) => n >= 0, "FDX amounts are unsigned"),
    category: z.string().optional(),
    payee: z.string().optional(),
    merchantCategoryCode: z.string().optional(),
    referenceTransactionId: z.string().optional(),
  })
  // The adapter dates a row by the time its status refers to, so that time must be there.
  .refine((t) => (t.status === "POSTED" ? t.postedTimestamp : t.transactionTimestamp) !== undefined, "row without the timestamp of its status");
export type FdxTransaction = z.infer<typeof transactionBody>;

const transactionEntry = z
  .object({ depositTransaction: transactionBody.optional(), locTransaction: transactionBody.optional() })
  .refine((e) => (e.depositTransaction ?? e.locTransaction) !== undefined, "neither depositTransaction nor locTransaction")
  .transform((e) => (e.depositTransaction ?? e.locTransaction)!);

/** `GET /fdx/v6/transactions`: one block per served account. */
export const transactionsResponse = z.object({
  results: z.array(
    z.object({
      accountId: z.string(),
      currency,
      page,
      transactions: z.array(transactionEntry),
    }),
  ),
});
export type FdxTransactionBlock = z.infer<typeof transactionsResponse>["results"][number];

const name = z.object({ first: z.string().optional(), middle: z.string().optional(), last: z.string().optional() });

/** `GET /fdx/v6/customers/current`. */
export const customerResponse = z.object({
  name,
  email: z.array(z.string()).optional(),
  addresses: z
    .array(
      z.object({
        line1: z.string(),
        line2: z.string().optional(),
        city: z.string(),
        region: z.string(),
        postalCode: z.string(),
        country: z.string(),
      }),
    )
    .optional(),
  telephones: z.array(z.object({ country: z.string().optional(), number: z.string() })).optional(),
  accounts: z.array(z.object({ accountId: z.string(), relationship: z.string().optional() })),
});
export type FdxCustomer = z.infer<typeof customerResponse>;
