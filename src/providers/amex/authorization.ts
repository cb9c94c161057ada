/**
 * How Bankgraph asks American Express for access: plain OAuth scopes on the authorization request (front
 * channel), one per Bankgraph scope. American Express has no word for alerts:read: nothing is asked for them. The accounts scope is always asked: Bankgraph lists the
 * chosen accounts to know which ones the person shared (and to route the bank's webhooks).
 */
import type { Scope } from "../../domain/consent.js";
import { bankScopes, type BankAuthorizationFormat } from "../authorization-format.js";

/** Bankgraph scope → American Express's scopes. */
export const SCOPE_TABLE: Partial<Record<Scope, readonly string[]>> = {
  "accounts:read": ["member.accounts.read"],
  "balances:read": ["member.balances.read"],
  "transactions:read": ["member.transactions.read"],
  "receipts:read": ["member.receipts.read"],
  "identity:read": ["member.profile.read"],
};

export const amexAuthorization: BankAuthorizationFormat = {
  pushed: false,
  async prepare(ask) {
    return { parameters: { scope: bankScopes(SCOPE_TABLE, ask.scopes, SCOPE_TABLE["accounts:read"]) } };
  },
};
