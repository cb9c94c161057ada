/**
 * The dataset rendered in Citi's wire format. Citi never sends a full account or card number,
 * only `displayAccountNumber` with all but the last four digits replaced by X.
 */
import { decimalAmount } from "../data/decimal-amount.js";
import type { MockAccount, MockAccountKind, MockBalance, MockCustomer, MockTransactionRecord } from "../data/types.js";

type CitiAccountGroup = "CHECKING" | "SAVINGS" | "CREDITCARD";

const GROUP: Record<MockAccountKind, CitiAccountGroup> = {
  checking: "CHECKING",
  savings: "SAVINGS",
  credit_card: "CREDITCARD",
  // Citi has no charge cards or wallets; should a test give a customer one, it lists as a card / checking.
  charge_card: "CREDITCARD",
  wallet: "CHECKING",
};

/** Signed decimal string with two places, e.g. "-12.30". */
export function citiAmount(minor: number): string {
  return decimalAmount(minor);
}

/** `YYYYMMDD` of the UTC calendar day. */
export function citiDate(at: Date): string {
  return at.toISOString().slice(0, 10).replaceAll("-", "");
}

/** An account as `GET /accounts` lists it. */
export function renderAccount(account: MockAccount) {
  return {
    accountId: account.id,
    accountGroup: GROUP[account.kind],
    productName: account.name,
    displayAccountNumber: account.number.slice(-4).padStart(account.number.length, "X"),
    currencyCode: account.currency,
    accountStatus: "ACTIVE",
  };
}

/** A balance: `depositBalance` for deposit accounts, `creditCardBalance` for cards. */
export function renderBalance(account: MockAccount, balance: MockBalance) {
  const money = (minor: number | null) => (minor === null ? null : citiAmount(minor));
  const group = GROUP[account.kind];
  const common = {
    accountId: account.id,
    accountGroup: group,
    currencyCode: account.currency,
    asOfDate: citiDate(balance.asOf),
    asOfTime: balance.asOf.toISOString().slice(11, 19),
  };
  if (group === "CREDITCARD") {
    return {
      ...common,
      creditCardBalance: {
        outstandingBalance: citiAmount(balance.currentMinor),
        availableCredit: money(balance.availableMinor),
        creditLimit: money(balance.limitMinor),
      },
    };
  }
  return {
    ...common,
    depositBalance: {
      currentBalance: citiAmount(balance.currentMinor),
      availableBalance: money(balance.availableMinor),
    },
  };
}

/** A listed row: AUTHORIZED (pending) or POSTED, the latter naming its authorization. */
export function renderTransaction(record: MockTransactionRecord, currency: string) {
  const posted = record.status === "posted";
  return {
    transactionId: record.id,
    transactionStatus: posted ? "POSTED" : "AUTHORIZED",
    transactionAmount: citiAmount(record.amountMinor),
    currencyCode: currency,
    transactionDate: citiDate(record.authorizedAt),
    postingDate: record.postedAt ? citiDate(record.postedAt) : null,
    transactionDescription: record.description,
    merchantName: record.merchant?.name ?? null,
    merchantCategoryCode: record.merchant?.mcc ?? null,
    transactionCategory: record.category,
    authorizationId: posted ? record.pendingId : null,
  };
}

/** The customer profile's `customerParticulars`. */
export function renderProfile(customer: MockCustomer) {
  const { address } = customer;
  return {
    names: [{ nameType: "LEGAL", fullName: customer.name }],
    emails: [{ emailAddress: customer.email, isPreferredEmail: true }],
    phones: [{ phoneType: "MOBILE", phoneNumber: customer.phone }],
    addresses: [
      {
        addressType: "HOME",
        addressLine1: address.line1,
        addressLine2: address.line2,
        city: address.city,
        state: address.region,
        postalCode: address.postalCode,
        countryCode: address.country,
      },
    ],
  };
}
