/**
 * Citi wire → domain. Citi's amounts are already signed from the holder's view and its dates
 * are bare calendar days (no time), so transactions carry no timestamp.
 */
import { type Account, type AccountOwner, AccountType, type Balance, type Transaction, TransactionStatus } from "../../domain/model.js";
import { moneyFromDecimal } from "../../domain/money.js";
import { toE164 } from "../../domain/phone.js";
import { normalizePostalAddress } from "../../domain/postal-address.js";
import type { CitiAccount, CitiBalance, CitiParticulars, CitiTransaction } from "./wire.js";

const ACCOUNT_TYPE: Record<CitiAccount["accountGroup"], AccountType> = {
  CHECKING: AccountType.CHECKING,
  SAVINGS: AccountType.SAVINGS,
  CREDITCARD: AccountType.CREDIT_CARD,
};

/** `YYYYMMDD` → `YYYY-MM-DD`. */
function isoDay(citiDate: string): string {
  return `${citiDate.slice(0, 4)}-${citiDate.slice(4, 6)}-${citiDate.slice(6, 8)}`;
}

/** A Citi account; its already masked number gives the mask. */
export function toAccount(wire: CitiAccount): Account {
  return {
    id: wire.accountId,
    type: ACCOUNT_TYPE[wire.accountGroup],
    name: wire.productName,
    mask: wire.displayAccountNumber.slice(-4),
    currency: wire.currencyCode.toUpperCase(),
  };
}

/** A Citi deposit or card balance; `asOfDate` and `asOfTime` are UTC. */
export function toBalance(wire: CitiBalance): Balance {
  const money = (amount: string | null) => (amount === null ? null : moneyFromDecimal(amount, wire.currencyCode));
  const asOf = new Date(`${isoDay(wire.asOfDate)}T${wire.asOfTime}Z`);
  if (wire.accountGroup === "CREDITCARD") {
    const card = wire.creditCardBalance;
    // A card's current balance is what the holder owes, as Citi's outstandingBalance reports it.
    return {
      accountId: wire.accountId,
      current: money(card.outstandingBalance)!,
      available: money(card.availableCredit),
      limit: money(card.creditLimit),
      asOf,
    };
  }
  const deposit = wire.depositBalance;
  return { accountId: wire.accountId, current: money(deposit.currentBalance)!, available: money(deposit.availableBalance), limit: null, asOf };
}

/** A Citi transaction row (AUTHORIZED = pending, POSTED = posted). */
export function toTransaction(wire: CitiTransaction, accountId: string): Transaction {
  const posted = wire.transactionStatus === "POSTED";
  return {
    id: wire.transactionId,
    accountId,
    status: posted ? TransactionStatus.POSTED : TransactionStatus.PENDING,
    amount: moneyFromDecimal(wire.transactionAmount, wire.currencyCode),
    description: wire.transactionDescription,
    merchant: wire.merchantName ? { name: wire.merchantName, categoryCode: wire.merchantCategoryCode ?? null } : null,
    category: wire.transactionCategory ?? null,
    // Filed under the posting day once posted, the authorization day while pending.
    date: isoDay(posted ? wire.postingDate : wire.transactionDate),
    timestamp: null,
    // Citi dates the authorization to the day only.
    authorizedAt: new Date(`${isoDay(wire.transactionDate)}T00:00:00Z`),
    pendingTransactionId: posted ? (wire.authorizationId ?? null) : null,
    receiptId: null,
  };
}

/** One owner per account: Citi's profile is the token holder's, listed with the accounts it covers. */
export function toOwners(accountIds: readonly string[], particulars: CitiParticulars): AccountOwner[] {
  const name = particulars.names.find((n) => n.nameType === "LEGAL") ?? particulars.names[0]!;
  const email = particulars.emails.find((e) => e.isPreferredEmail) ?? particulars.emails[0];
  const address = particulars.addresses[0];
  return accountIds.map((accountId) => ({
    accountId,
    name: name.fullName,
    email: email?.emailAddress ?? null,
    phone: particulars.phones[0] ? toE164(particulars.phones[0].phoneNumber) : null,
    address: address
      ? normalizePostalAddress({
          line1: address.addressLine1,
          line2: address.addressLine2 ?? null,
          city: address.city,
          region: address.state,
          postalCode: address.postalCode,
          country: address.countryCode,
        })
      : null,
  }));
}
