/**
 * U.S. Bank's wire format as zod schemas. Every answer is `{ ResponseData, Status }`; only a
 * "0000" status is a success, so a 200 carrying any other status is rejected as unreadable.
 * Strict on the fields the adapter reads, lenient on the rest.
 */
import { z } from "zod";

/** Unsigned decimal string; the sign travels in a DebitCreditIndicator. */
const unsignedAmount = z.string().regex(/^\d+(\.\d{1,2})?$/);
const indicator = z.enum(["D", "C"]);
/** ISO 8601 date-time in UTC ("Z"). */
const utcDateTime = z.iso.datetime();
const currencyCode = z.string().regex(/^[A-Za-z]{3}$/);

const envelope = <T extends z.ZodType>(responseData: T) =>
  z.object({ ResponseData: responseData, Status: z.object({ Code: z.literal("0000"), Message: z.string().optional() }) });

const UsBankAccountType = z.enum(["DDA", "SAV", "CCD"]);

export const UsBankAccount = z.object({
  AccountID: z.string().min(1),
  /** The full account or card number: only its last four digits may leave the adapter. */
  AccountNumber: z.string().regex(/\d{4}$/),
  AccountType: UsBankAccountType,
  ProductName: z.string(),
  CurrencyCode: currencyCode,
});
export type UsBankAccount = z.infer<typeof UsBankAccount>;
export const UsBankAccounts = envelope(z.object({ AccountList: z.array(UsBankAccount) }));

const LedgerAmount = z.object({ Amount: unsignedAmount, DebitCreditIndicator: indicator });
export type UsBankLedgerAmount = z.infer<typeof LedgerAmount>;

export const UsBankBalance = z.object({
  AccountID: z.string().min(1),
  AccountType: UsBankAccountType,
  CurrencyCode: currencyCode,
  AsOfDateTime: utcDateTime,
  LedgerBalance: LedgerAmount,
  AvailableBalance: LedgerAmount.nullish(),
  AvailableCredit: unsignedAmount.nullish(),
  CreditLimit: unsignedAmount.nullish(),
});
export type UsBankBalance = z.infer<typeof UsBankBalance>;
export const UsBankBalances = envelope(z.object({ BalanceList: z.array(UsBankBalance) }));

export const UsBankTransaction = z.object({
  TransactionID: z.string().min(1),
  TransactionStatus: z.enum(["Memo", "Posted"]),
  TransactionAmount: unsignedAmount,
  DebitCreditIndicator: indicator,
  CurrencyCode: currencyCode,
  EffectiveDateTime: utcDateTime,
  AuthorizationDateTime: utcDateTime.nullish(),
  TransactionDescription: z.string(),
  MerchantName: z.string().nullish(),
  MerchantCategoryCode: z.string().nullish(),
  TransactionCategory: z.string().nullish(),
  /** On a Posted row: the TransactionID of the Memo row it settles (U.S. Bank lists both). */
  MemoPostedReference: z.string().nullish(),
});
export type UsBankTransaction = z.infer<typeof UsBankTransaction>;

export const UsBankTransactionInquiry = envelope(
  z.object({
    AccountTransactions: z.array(
      z.object({
        AccountID: z.string().min(1),
        PageNumber: z.number().int().positive(),
        /** The page size the bank applied (it caps what was asked). */
        PageSize: z.number().int().positive(),
        TotalPages: z.number().int().nonnegative(),
        TransactionList: z.array(UsBankTransaction),
      }),
    ),
  }),
);

export const UsBankCustomer = z.object({
  AccountID: z.string().min(1),
  CustomerName: z.object({ FullName: z.string() }),
  EmailAddress: z.string().nullish(),
  PhoneNumber: z.string().nullish(),
  MailingAddress: z
    .object({
      AddressLine1: z.string(),
      AddressLine2: z.string().nullish(),
      City: z.string(),
      StateCode: z.string(),
      PostalCode: z.string(),
      CountryCode: z.string(),
    })
    .nullish(),
});
export type UsBankCustomer = z.infer<typeof UsBankCustomer>;
export const UsBankCustomers = envelope(z.object({ CustomerList: z.array(UsBankCustomer) }));
