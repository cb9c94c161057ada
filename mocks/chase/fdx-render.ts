/**
 * Renders the shared mock data in Chase's FDX v6 wire format: camelCase, accounts and
 * transactions wrapped by category (`depositAccount` / `locAccount`), amounts as JSON numbers in
 * dollars, timestamps as ISO 8601 in US Eastern time with an explicit offset.
 */
import type { MockAccount, MockAccountKind, MockBalance, MockCustomer, MockTransactionRecord } from "../data/types.js";

/** FDX `accountType` per mock product kind. */
const ACCOUNT_TYPE: Record<MockAccountKind, string> = {
  checking: "CHECKING",
  savings: "SAVINGS",
  credit_card: "CREDITCARD",
  charge_card: "CHARGE",
  wallet: "OTHERDEPOSIT",
};

const isLineOfCredit = (kind: MockAccountKind) => kind === "credit_card" || kind === "charge_card";

const EASTERN_OFFSET = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", timeZoneName: "longOffset" });

const HOUR_MS = 3_600_000;
/** New York's UTC offset in minutes by UTC hour: it only ever changes on the hour (2 a.m. local), and Intl is slow. */
const offsetByHour = new Map<number, number | null>();

/** Minutes east of UTC in New York at `at` (null if Intl gave no offset); asks Intl once per hour of time. */
function easternOffsetMinutes(at: Date): number | null {
  const hour = Math.floor(at.getTime() / HOUR_MS);
  let minutes = offsetByHour.get(hour);
  if (minutes === undefined) {
    const zone = EASTERN_OFFSET.formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
    const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(zone);
    minutes = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : null;
    offsetByHour.set(hour, minutes);
  }
  return minutes;
}

/**
 * `2026-06-14T18:05:00.000-04:00`: the instant in New York local time with its offset, DST-aware,
 * because Chase stamps times in its own zone rather than UTC.
 */
export function easternTimestamp(at: Date): string {
  const minutes = easternOffsetMinutes(at);
  if (minutes === null) return `${at.toISOString().slice(0, 23)}+00:00`;
  const local = new Date(at.getTime() + minutes * 60_000).toISOString().slice(0, 23);
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** Cents as the JSON number of dollars FDX uses (1234 → 12.34); exact because it is one division of an integer. */
export const dollars = (minor: number): number => minor / 100;

/** FDX AccountDescriptor fields shared by the lightweight and detailed views. */
function descriptor(account: MockAccount) {
  return {
    accountId: account.id,
    accountCategory: isLineOfCredit(account.kind) ? "LOC_ACCOUNT" : "DEPOSIT_ACCOUNT",
    accountType: ACCOUNT_TYPE[account.kind],
    // Chase never sends the full number over the data-sharing API, only its display form.
    accountNumberDisplay: `...${account.number.slice(-4)}`,
    productName: account.name,
    nickname: account.name,
    status: "OPEN",
    accountOpenDate: account.openedOn,
    currency: { currencyCode: account.currency },
  };
}

/** One entry of `accounts[]`: `{ depositAccount }` or `{ locAccount }`, with balances when given. */
export function renderAccount(account: MockAccount, balance?: MockBalance): Record<string, unknown> {
  const body: Record<string, unknown> = descriptor(account);
  if (balance) {
    body.balanceAsOf = easternTimestamp(balance.asOf);
    body.currentBalance = dollars(balance.currentMinor);
    if (isLineOfCredit(account.kind)) {
      if (balance.availableMinor !== null) body.availableCredit = dollars(balance.availableMinor);
      if (balance.limitMinor !== null) body.creditLine = dollars(balance.limitMinor);
    } else if (balance.availableMinor !== null) {
      body.availableBalance = dollars(balance.availableMinor);
    }
  }
  return isLineOfCredit(account.kind) ? { locAccount: body } : { depositAccount: body };
}

function transactionType(record: MockTransactionRecord, loc: boolean): string {
  if (record.category === "INCOME") return "DIRECTDEPOSIT";
  if (record.category === "TRANSFER") return "TRANSFER";
  if (record.merchant) return loc ? "PURCHASE" : "POSDEBIT";
  return record.amountMinor > 0 ? "CREDIT" : "DEBIT";
}

/** One entry of `transactions[]`: `{ depositTransaction }` or `{ locTransaction }`. */
export function renderTransaction(record: MockTransactionRecord, kind: MockAccountKind): Record<string, unknown> {
  const loc = isLineOfCredit(kind);
  const body: Record<string, unknown> = {
    accountId: record.accountId,
    transactionId: record.id,
    transactionTimestamp: easternTimestamp(record.authorizedAt),
    description: record.description,
    debitCreditMemo: record.amountMinor < 0 ? "DEBIT" : "CREDIT",
    status: record.status === "posted" ? "POSTED" : "PENDING",
    amount: dollars(Math.abs(record.amountMinor)),
    transactionType: transactionType(record, loc),
    category: record.category,
  };
  if (record.postedAt) body.postedTimestamp = easternTimestamp(record.postedAt);
  if (record.merchant) {
    body.payee = record.merchant.name;
    body.merchantCategoryCode = record.merchant.mcc;
  }
  // The pending authorization this posting settled; FDX's own field for a related transaction.
  if (record.status === "posted" && record.pendingId) body.referenceTransactionId = record.pendingId;
  return loc ? { locTransaction: body } : { depositTransaction: body };
}

/** FDX Customer: name split into parts, contact lists, and the accounts the customer holds. */
export function renderCustomer(customer: MockCustomer, accounts: MockAccount[]): Record<string, unknown> {
  return {
    customerId: customer.id,
    type: "INDIVIDUAL",
    ...renderContact(customer),
    accounts: accounts.map((a) => ({ accountId: a.id, relationship: "PRIMARY" })),
  };
}

/** Name, emails, addresses and telephones in FDX shape (also the body of an account's contact). */
export function renderContact(customer: MockCustomer) {
  const space = customer.name.indexOf(" ");
  const name = space < 0 ? { first: customer.name } : { first: customer.name.slice(0, space), last: customer.name.slice(space + 1) };
  const digits = customer.phone.replace(/\D/g, "");
  const { line1, line2, city, region, postalCode, country } = customer.address;
  return {
    name,
    email: [customer.email],
    addresses: [{ type: "HOME", line1, ...(line2 ? { line2 } : {}), city, region, postalCode, country }],
    telephones: [{ type: "CELL", country: digits.slice(0, -10) || "1", number: digits.slice(-10) }],
  };
}
