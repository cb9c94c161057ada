/**
 * The dataset rendered in U.S. Bank's wire format. Amounts are unsigned with a debit/credit
 * indicator; times are ISO 8601 in UTC; the full account or card number is sent (as the bank's
 * API does to its account holder), so the gateway is the one that must mask it.
 */
import { decimalAmount } from "../data/decimal-amount.js";
import type { MockAccount, MockAccountKind, MockBalance, MockCustomer, MockTransactionRecord } from "../data/types.js";

type UsBankAccountType = "DDA" | "SAV" | "CCD";

const ACCOUNT_TYPE: Record<MockAccountKind, UsBankAccountType> = {
  checking: "DDA",
  savings: "SAV",
  credit_card: "CCD",
  // U.S. Bank has no charge cards or wallets; should a test give a customer one, it lists as a card / checking.
  charge_card: "CCD",
  wallet: "DDA",
};

const isCard = (account: MockAccount) => ACCOUNT_TYPE[account.kind] === "CCD";

/** Unsigned decimal string with two places. */
function unsigned(minor: number): string {
  return decimalAmount(Math.abs(minor));
}

/**
 * A ledger amount from the bank's books: "C" (credit) is money the bank holds for the customer,
 * "D" (debit) money the customer owes; so a positive deposit balance is C and a card's owed balance is D.
 */
function ledger(minor: number, owedWhenPositive: boolean) {
  const owed = owedWhenPositive ? minor > 0 : minor < 0;
  return { Amount: unsigned(minor), DebitCreditIndicator: owed ? "D" : "C" };
}

/** An account as `GET /v3/accounts` lists it, full number included. */
export function renderAccount(account: MockAccount) {
  return {
    AccountID: account.id,
    AccountNumber: account.number,
    AccountType: ACCOUNT_TYPE[account.kind],
    ProductName: account.name,
    CurrencyCode: account.currency,
    AccountStatus: "Open",
  };
}

/** A balance: ledger and available with indicators for deposits; owed, available credit and limit for cards. */
export function renderBalance(account: MockAccount, balance: MockBalance) {
  const { currency } = account;
  const card = isCard(account);
  return {
    AccountID: account.id,
    AccountType: ACCOUNT_TYPE[account.kind],
    CurrencyCode: currency,
    AsOfDateTime: balance.asOf.toISOString(),
    LedgerBalance: ledger(balance.currentMinor, card),
    AvailableBalance: !card && balance.availableMinor !== null ? ledger(balance.availableMinor, false) : null,
    AvailableCredit: card && balance.availableMinor !== null ? unsigned(balance.availableMinor) : null,
    CreditLimit: balance.limitMinor !== null ? unsigned(balance.limitMinor) : null,
  };
}

/** A listed row: Memo (pending) or Posted, the latter naming its memo row. */
export function renderTransaction(record: MockTransactionRecord, currency: string) {
  const posted = record.status === "posted";
  return {
    TransactionID: record.id,
    TransactionStatus: posted ? "Posted" : "Memo",
    TransactionAmount: unsigned(record.amountMinor),
    DebitCreditIndicator: record.amountMinor < 0 ? "D" : "C",
    CurrencyCode: currency,
    EffectiveDateTime: record.date.toISOString(),
    AuthorizationDateTime: record.authorizedAt.toISOString(),
    TransactionDescription: record.description,
    MerchantName: record.merchant?.name ?? null,
    MerchantCategoryCode: record.merchant?.mcc ?? null,
    TransactionCategory: record.category,
    MemoPostedReference: posted ? record.pendingId : null,
  };
}

/** One `CustomerList` entry: the owner of one account. */
export function renderCustomer(accountId: string, customer: MockCustomer) {
  const { address } = customer;
  const [first = "", ...rest] = customer.name.split(" ");
  return {
    AccountID: accountId,
    CustomerName: { FullName: customer.name, FirstName: first, LastName: rest.join(" ") },
    EmailAddress: customer.email,
    PhoneNumber: customer.phone,
    MailingAddress: {
      AddressLine1: address.line1,
      AddressLine2: address.line2,
      City: address.city,
      StateCode: address.region,
      PostalCode: address.postalCode,
      CountryCode: address.country,
    },
  };
}
