/**
 * How Bankgraph asks U.S. Bank for access: plain OAuth scopes on the authorization request (front
 * channel), one per Bankgraph scope. U.S. Bank has no word for receipts:read, alerts:read: nothing is asked for them. The accounts scope is always asked: Bankgraph lists the
 * chosen accounts to know which ones the person shared (and to route the bank's webhooks).
 */
import type { Scope } from "../../domain/consent.js";
import { bankScopes, type BankAuthorizationFormat } from "../authorization-format.js";

/**
 * How U.S. Bank is asked for permission to send payments (issue 16): its `PaymentInitiation`
 * scope, which opens `/v3/payees` and `/v3/payments` for the accounts the person chooses. Asked
 * when the ask holds `payments:write`.
 */
export const PAYMENT_SCOPES: readonly string[] = ["PaymentInitiation"];

/** Bankgraph scope → U.S. Bank's scopes (`payments:write`: the payment scope of issue 16, asked only when granted on its own). */
export const SCOPE_TABLE: Partial<Record<Scope | "payments:write", readonly string[]>> = {
  "accounts:read": ["AccountInfo"],
  "balances:read": ["AccountBalance"],
  "transactions:read": ["TransactionHistory"],
  "identity:read": ["CustomerProfile"],
  "payments:write": PAYMENT_SCOPES,
};

export const usBankAuthorization: BankAuthorizationFormat = {
  pushed: false,
  async prepare(ask) {
    return { parameters: { scope: bankScopes(SCOPE_TABLE, ask.scopes, SCOPE_TABLE["accounts:read"]) } };
  },
};
