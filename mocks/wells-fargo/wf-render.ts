/**
 * Renders the shared mock data in Wells Fargo's wire format: snake_case, HAL `_links`, signed
 * integer cents, epoch-millisecond times, and the full account number (the adapter masks it).
 */
import type { MockAccount, MockAccountKind, MockBalance, MockCustomer, MockTransactionRecord } from "../data/types.js";

/** `account_type` per mock product kind. */
export const WF_ACCOUNT_TYPE: Record<MockAccountKind, string> = {
  checking: "checking",
  savings: "savings",
  credit_card: "credit_card",
  charge_card: "charge_card",
  wallet: "prepaid",
};

/** An entry of `accounts[]`, full `account_number` included. */
export function renderAccount(account: MockAccount) {
  return {
    account_id: account.id,
    account_number: account.number,
    account_type: WF_ACCOUNT_TYPE[account.kind],
    product_name: account.name,
    currency_code: account.currency,
    status: "open",
    opened_on: account.openedOn,
    _links: { self: { href: `/v2/accounts/${encodeURIComponent(account.id)}` } },
  };
}

/** An entry of `balances[]`; cards report the amount owed as the ledger balance. */
export function renderBalance(account: MockAccount, balance: MockBalance) {
  return {
    account_id: account.id,
    currency_code: account.currency,
    ledger_balance_cents: balance.currentMinor,
    available_balance_cents: balance.availableMinor,
    credit_limit_cents: balance.limitMinor,
    as_of_ms: balance.asOf.getTime(),
  };
}

/** An entry of a result block's `transactions[]`. */
export function renderTransaction(record: MockTransactionRecord, currency: string) {
  const posted = record.status === "posted";
  return {
    transaction_id: record.id,
    account_id: record.accountId,
    status: record.status,
    amount_cents: record.amountMinor,
    currency_code: currency,
    description: record.description,
    category: record.category,
    merchant: record.merchant ? { name: record.merchant.name, mcc: record.merchant.mcc } : null,
    authorized_at_ms: record.authorizedAt.getTime(),
    posted_at_ms: record.postedAt?.getTime() ?? null,
    // Only posted rows say which pending authorization they settled (null when there was none).
    ...(posted ? { pending_transaction_ref: record.pendingId } : {}),
  };
}

/** The customer with the subset of the asked-about accounts they hold. */
export function renderCustomer(customer: MockCustomer, accountIds: string[]) {
  const { line1, line2, city, region, postalCode, country } = customer.address;
  return {
    customer_id: customer.id,
    full_name: customer.name,
    email_address: customer.email,
    phone_number: `+${customer.phone.replace(/\D/g, "")}`,
    mailing_address: { street_line_1: line1, street_line_2: line2, city, state_code: region, zip_code: postalCode, country_code: country },
    account_ids: accountIds,
  };
}
