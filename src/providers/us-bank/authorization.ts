/**
 * How Bankgraph asks U.S. Bank for access: plain OAuth scopes on the authorization request (front
 * channel), one per Bankgraph scope. U.S. Bank has no word for receipts:read, alerts:read: nothing is asked for them. The accounts scope is always asked: Bankgraph lists the
 * chosen accounts to know which ones the person shared (and to route the bank's webhooks).
 */
import type { Scope } from "../../domain/consent.js";
import { bankScopes, type BankAuthorizationFormat } from "../authorization-format.js";

/** Bankgraph scope → U.S. Bank's scopes. */
export const SCOPE_TABLE: Partial<Record<Scope, readonly string[]>> = {
  "accounts:read": ["AccountInfo"],
  "balances:read": ["AccountBalance"],
  "transactions:read": ["TransactionHistory"],
  "identity:read": ["CustomerProfile"],
};

export const usBankAuthorization: BankAuthorizationFormat = {
  pushed: false,
  async prepare(ask) {
    return { parameters: { scope: bankScopes(SCOPE_TABLE, ask.scopes, SCOPE_TABLE["accounts:read"]) } };
  },
};
