/**
 * U.S. Bank wire → domain. The bank sends unsigned amounts with a debit/credit indicator and the
 * full account number; this is where the sign is applied and the number cut to its last four.
 */
import { type Account, type AccountOwner, AccountType, type Balance, type Transaction, TransactionStatus } from "../../domain/model.js";
import { type Money, moneyFromDecimal } from "../../domain/money.js";
import { toE164 } from "../../domain/phone.js";
import { normalizePostalAddress } from "../../domain/postal-address.js";
import type { UsBankAccount, UsBankBalance, UsBankCustomer, UsBankLedgerAmount, UsBankTransaction } from "./wire.js";

const ACCOUNT_TYPE: Record<UsBankAccount["AccountType"], AccountType> = {
  DDA: AccountType.CHECKING,
  SAV: AccountType.SAVINGS,
  CCD: AccountType.CREDIT_CARD,
};

/** `negativeIndicator` is the side that lowers the figure the domain reports. */
function signed(amount: string, indicator: "D" | "C", negativeIndicator: "D" | "C", currency: string): Money {
  return moneyFromDecimal(indicator === negativeIndicator ? `-${amount}` : amount, currency);
}

/** A U.S. Bank account, its full number cut to the last four digits. */
export function toAccount(wire: UsBankAccount): Account {
  return {
    id: wire.AccountID,
    type: ACCOUNT_TYPE[wire.AccountType],
    name: wire.ProductName,
    mask: wire.AccountNumber.slice(-4),
    currency: wire.CurrencyCode.toUpperCase(),
  };
}

/** A U.S. Bank balance, signed by its indicators from the holder's view. */
export function toBalance(wire: UsBankBalance): Balance {
  const currency = wire.CurrencyCode;
  const ledger = (value: UsBankLedgerAmount, negative: "D" | "C") => signed(value.Amount, value.DebitCreditIndicator, negative, currency);
  const plain = (amount: string | null | undefined) => (amount == null ? null : moneyFromDecimal(amount, currency));
  if (wire.AccountType === "CCD") {
    // On a card the domain's current balance is what the holder owes: a debit balance counts up.
    return {
      accountId: wire.AccountID,
      current: ledger(wire.LedgerBalance, "C"),
      available: plain(wire.AvailableCredit),
      limit: plain(wire.CreditLimit),
      asOf: new Date(wire.AsOfDateTime),
    };
  }
  return {
    accountId: wire.AccountID,
    current: ledger(wire.LedgerBalance, "D"),
    available: wire.AvailableBalance ? ledger(wire.AvailableBalance, "D") : null,
    limit: null,
    asOf: new Date(wire.AsOfDateTime),
  };
}

/** A U.S. Bank transaction row (Memo = pending, Posted = posted). */
export function toTransaction(wire: UsBankTransaction, accountId: string): Transaction {
  const posted = wire.TransactionStatus === "Posted";
  const effective = new Date(wire.EffectiveDateTime);
  return {
    id: wire.TransactionID,
    accountId,
    status: posted ? TransactionStatus.POSTED : TransactionStatus.PENDING,
    // A debit is money out of the account, whatever the account type.
    amount: signed(wire.TransactionAmount, wire.DebitCreditIndicator, "D", wire.CurrencyCode),
    description: wire.TransactionDescription,
    merchant: wire.MerchantName ? { name: wire.MerchantName, categoryCode: wire.MerchantCategoryCode ?? null } : null,
    category: wire.TransactionCategory ?? null,
    // The effective time is the posting time once posted and the authorization time on a memo row.
    date: effective.toISOString().slice(0, 10),
    timestamp: effective,
    authorizedAt: posted ? (wire.AuthorizationDateTime ? new Date(wire.AuthorizationDateTime) : null) : effective,
    pendingTransactionId: posted ? (wire.MemoPostedReference ?? null) : null,
    receiptId: null,
  };
}

/** The owner of one account, from U.S. Bank's customer inquiry. */
export function toOwner(wire: UsBankCustomer): AccountOwner {
  const address = wire.MailingAddress;
  return {
    accountId: wire.AccountID,
    name: wire.CustomerName.FullName,
    email: wire.EmailAddress ?? null,
    phone: wire.PhoneNumber ? toE164(wire.PhoneNumber) : null,
    address: address
      ? normalizePostalAddress({
          line1: address.AddressLine1,
          line2: address.AddressLine2 ?? null,
          city: address.City,
          region: address.StateCode,
          postalCode: address.PostalCode,
          country: address.CountryCode,
        })
      : null,
  };
}
