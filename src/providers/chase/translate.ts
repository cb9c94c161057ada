/**
 * Chase FDX wire → domain. Pure functions: no I/O, no state. Amounts go through the decimal
 * string of the JSON number (never float arithmetic); the sign comes from `debitCreditMemo`.
 */
import { AccountType, TransactionStatus, type Account, type AccountOwner, type Balance, type PostalAddress, type Transaction } from "../../domain/model.js";
import { minorFromDecimal, moneyFromDecimal, moneyFromMinor, type Money } from "../../domain/money.js";
import { joinE164 } from "../../domain/phone.js";
import { normalizePostalAddress } from "../../domain/postal-address.js";
import type { FdxAccount, FdxCustomer, FdxTransaction } from "./wire.js";

/** FDX account types the domain can show; any other type is left out of the listing. */
const ACCOUNT_TYPES = new Map<string, AccountType>([
  ["CHECKING", AccountType.CHECKING],
  ["SAVINGS", AccountType.SAVINGS],
  ["MONEYMARKET", AccountType.SAVINGS],
  ["CREDITCARD", AccountType.CREDIT_CARD],
  ["CHARGE", AccountType.CHARGE_CARD],
]);

const money = (dollars: number, currency: string): Money => moneyFromDecimal(String(dollars), currency);

/** Last four digits of `accountNumberDisplay` ("...1234", "XXXX-1234"), whatever its masking style. */
export function maskOf(display: string): string {
  return display.replace(/\D/g, "").slice(-4);
}

/** The account, or null for an FDX account type the gateway does not model (loans, investments…). */
export function toAccount(wire: FdxAccount): Account | null {
  const type = ACCOUNT_TYPES.get(wire.accountType);
  if (!type) return null;
  return {
    id: wire.accountId,
    type,
    name: wire.nickname ?? wire.productName ?? wire.accountType,
    mask: maskOf(wire.accountNumberDisplay),
    currency: wire.currency.currencyCode.toUpperCase(),
  };
}

/** The balance of a detailed account, or null when Chase sent no balance for it. */
export function toBalance(wire: FdxAccount): Balance | null {
  if (wire.currentBalance === undefined || wire.balanceAsOf === undefined) return null;
  const currency = wire.currency.currencyCode.toUpperCase();
  // Deposit accounts carry availableBalance; lines of credit carry availableCredit instead.
  const available = wire.availableBalance ?? wire.availableCredit;
  return {
    accountId: wire.accountId,
    current: money(wire.currentBalance, currency),
    available: available === undefined ? null : money(available, currency),
    limit: wire.creditLine === undefined ? null : money(wire.creditLine, currency),
    asOf: new Date(wire.balanceAsOf),
  };
}

/** A transaction row of an account whose currency the result block gives. */
export function toTransaction(wire: FdxTransaction, accountId: string, currency: string): Transaction {
  const posted = wire.status === "POSTED";
  // wire.ts guarantees the timestamp of the row's status is present.
  const at = new Date((posted ? wire.postedTimestamp : wire.transactionTimestamp)!);
  const unsigned = minorFromDecimal(String(wire.amount), currency);
  return {
    id: wire.transactionId,
    accountId,
    status: posted ? TransactionStatus.POSTED : TransactionStatus.PENDING,
    amount: moneyFromMinor(wire.debitCreditMemo === "DEBIT" ? -unsigned : unsigned, currency),
    description: wire.description,
    merchant: wire.payee ? { name: wire.payee, categoryCode: wire.merchantCategoryCode ?? null } : null,
    category: wire.category ?? null,
    // Chase stamps Eastern time; the domain files a row under its UTC calendar date.
    date: at.toISOString().slice(0, 10),
    timestamp: at,
    authorizedAt: wire.transactionTimestamp ? new Date(wire.transactionTimestamp) : null,
    pendingTransactionId: posted ? (wire.referenceTransactionId ?? null) : null,
    receiptId: null,
  };
}

/** One owner per requested account that the customer holds, in request order. */
export function toOwners(customer: FdxCustomer, accountIds: readonly string[]): AccountOwner[] {
  const held = new Set(customer.accounts.map((a) => a.accountId));
  const { first, middle, last } = customer.name;
  const name = [first, middle, last].filter(Boolean).join(" ");
  const wireAddress = customer.addresses?.[0];
  const address: PostalAddress | null = wireAddress ? normalizePostalAddress(wireAddress) : null;
  const phone = customer.telephones?.[0];
  return [...new Set(accountIds)]
    .filter((id) => held.has(id))
    .map((accountId) => ({
      accountId,
      name,
      email: customer.email?.[0] ?? null,
      phone: phone ? joinE164(phone.country, phone.number) : null,
      address,
    }));
}
