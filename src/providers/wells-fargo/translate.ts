/**
 * Wells Fargo wire → domain. Pure functions. Cents are already signed from the holder's view;
 * epoch milliseconds become Dates; the full account number is cut to its last four digits here
 * and goes no further.
 */
import { AccountType, TransactionStatus, type Account, type AccountOwner, type Balance, type Transaction } from "../../domain/model.js";
import { moneyFromMinor } from "../../domain/money.js";
import { toE164 } from "../../domain/phone.js";
import { normalizePostalAddress } from "../../domain/postal-address.js";
import type { WfAccount, WfBalance, WfCustomer, WfTransaction } from "./wire.js";

/** Wells Fargo account types the domain can show; any other type is left out of the listing. */
const ACCOUNT_TYPES = new Map<string, AccountType>([
  ["checking", AccountType.CHECKING],
  ["savings", AccountType.SAVINGS],
  ["credit_card", AccountType.CREDIT_CARD],
  ["charge_card", AccountType.CHARGE_CARD],
]);

/** The account with only the last four digits of its number, or null for a type the domain lacks. */
export function toAccount(wire: WfAccount): Account | null {
  const type = ACCOUNT_TYPES.get(wire.account_type.toLowerCase());
  if (!type) return null;
  return {
    id: wire.account_id,
    type,
    name: wire.product_name,
    mask: wire.account_number.slice(-4),
    currency: wire.currency_code.toUpperCase(),
  };
}

/** Ledger balance as current; cards owe it as a positive amount. */
export function toBalance(wire: WfBalance): Balance {
  const currency = wire.currency_code.toUpperCase();
  const optional = (minor: number | null | undefined) => (minor === null || minor === undefined ? null : moneyFromMinor(minor, currency));
  return {
    accountId: wire.account_id,
    current: moneyFromMinor(wire.ledger_balance_cents, currency),
    available: optional(wire.available_balance_cents),
    limit: optional(wire.credit_limit_cents),
    asOf: new Date(wire.as_of_ms),
  };
}

/** A row, dated by the time of its status (posting once posted, authorization while pending). */
export function toTransaction(wire: WfTransaction, accountId: string): Transaction {
  const posted = wire.status === "posted";
  // wire.ts guarantees posted rows carry posted_at_ms.
  const at = new Date(posted ? wire.posted_at_ms! : wire.authorized_at_ms);
  return {
    id: wire.transaction_id,
    accountId,
    status: posted ? TransactionStatus.POSTED : TransactionStatus.PENDING,
    amount: moneyFromMinor(wire.amount_cents, wire.currency_code),
    description: wire.description,
    merchant: wire.merchant ? { name: wire.merchant.name, categoryCode: wire.merchant.mcc ?? null } : null,
    category: wire.category ?? null,
    date: at.toISOString().slice(0, 10),
    timestamp: at,
    authorizedAt: new Date(wire.authorized_at_ms),
    pendingTransactionId: posted ? (wire.pending_transaction_ref ?? null) : null,
    receiptId: null,
  };
}

/** One owner per requested account some looked-up customer holds, in request order (first holder wins). */
export function toOwners(customers: readonly WfCustomer[], accountIds: readonly string[]): AccountOwner[] {
  const holderOf = new Map<string, WfCustomer>();
  for (const customer of customers) {
    for (const id of customer.account_ids) if (!holderOf.has(id)) holderOf.set(id, customer);
  }
  return [...new Set(accountIds)].flatMap((accountId) => {
    const customer = holderOf.get(accountId);
    if (!customer) return [];
    const a = customer.mailing_address;
    return [
      {
        accountId,
        name: customer.full_name,
        email: customer.email_address ?? null,
        phone: customer.phone_number ? toE164(customer.phone_number) : null,
        address: a
          ? normalizePostalAddress({
              line1: a.street_line_1,
              line2: a.street_line_2,
              city: a.city,
              region: a.state_code,
              postalCode: a.zip_code,
              country: a.country_code,
            })
          : null,
      },
    ];
  });
}
