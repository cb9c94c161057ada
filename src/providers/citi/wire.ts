/**
 * Citi's wire format as zod schemas: what the adapter accepts from the bank. Strict on the
 * fields it reads (a garbled body becomes BAD_RESPONSE), lenient on fields it does not.
 */
import { z } from "zod";

/** Signed decimal string, e.g. "-12.34". */
const amount = z.string().regex(/^[+-]?\d+(\.\d{1,2})?$/);
/** `YYYYMMDD`. */
const citiDate = z.string().regex(/^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/);
const currencyCode = z.string().regex(/^[A-Za-z]{3}$/);

/** `{ data, meta }`: every Citi resource answer. */
const envelope = <T extends z.ZodType>(data: T) => z.object({ data, meta: z.object({}).optional() });

const CitiAccountGroup = z.enum(["CHECKING", "SAVINGS", "CREDITCARD"]);

export const CitiAccount = z.object({
  accountId: z.string().min(1),
  accountGroup: CitiAccountGroup,
  productName: z.string(),
  /** e.g. "XXXXXXXXXXXX1234": Citi masks numbers itself; only the last four digits are kept. */
  displayAccountNumber: z.string().regex(/\d{4}$/),
  currencyCode,
});
export type CitiAccount = z.infer<typeof CitiAccount>;
export const CitiAccounts = envelope(z.object({ accounts: z.array(CitiAccount) }));

const balanceCommon = {
  accountId: z.string().min(1),
  currencyCode,
  asOfDate: citiDate,
  /** `HH:MM:SS`, UTC. */
  asOfTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/),
};
export const CitiBalance = z.discriminatedUnion("accountGroup", [
  z.object({
    ...balanceCommon,
    accountGroup: z.enum(["CHECKING", "SAVINGS"]),
    depositBalance: z.object({ currentBalance: amount, availableBalance: amount.nullable() }),
  }),
  z.object({
    ...balanceCommon,
    accountGroup: z.literal("CREDITCARD"),
    creditCardBalance: z.object({ outstandingBalance: amount, availableCredit: amount.nullable(), creditLimit: amount.nullable() }),
  }),
]);
export type CitiBalance = z.infer<typeof CitiBalance>;
export const CitiBalances = envelope(z.object({ balances: z.array(CitiBalance) }));

const transactionCommon = {
  transactionId: z.string().min(1),
  transactionAmount: amount,
  currencyCode,
  transactionDate: citiDate,
  transactionDescription: z.string(),
  merchantName: z.string().nullish(),
  merchantCategoryCode: z.string().nullish(),
  transactionCategory: z.string().nullish(),
};
export const CitiTransaction = z.discriminatedUnion("transactionStatus", [
  z.object({
    ...transactionCommon,
    transactionStatus: z.literal("POSTED"),
    postingDate: citiDate,
    /** The ID of the AUTHORIZED row this posting settles (Citi lists both). */
    authorizationId: z.string().nullish(),
  }),
  z.object({ ...transactionCommon, transactionStatus: z.literal("AUTHORIZED") }),
]);
export type CitiTransaction = z.infer<typeof CitiTransaction>;

export const CitiTransactionQueryResult = envelope(
  z.object({
    accountTransactions: z.array(z.object({ accountId: z.string().min(1), transactions: z.array(CitiTransaction), nextCursor: z.string().min(1).nullable() })),
  }),
);

const CitiParticulars = z.object({
  names: z.array(z.object({ nameType: z.string().optional(), fullName: z.string() })).min(1),
  emails: z.array(z.object({ emailAddress: z.string(), isPreferredEmail: z.boolean().optional() })).default([]),
  phones: z.array(z.object({ phoneNumber: z.string() })).default([]),
  addresses: z
    .array(
      z.object({
        addressLine1: z.string(),
        addressLine2: z.string().nullish(),
        city: z.string(),
        state: z.string(),
        postalCode: z.string(),
        countryCode: z.string(),
      }),
    )
    .default([]),
});
export type CitiParticulars = z.infer<typeof CitiParticulars>;
export const CitiProfile = envelope(z.object({ accountIds: z.array(z.string()), customerParticulars: CitiParticulars }));
