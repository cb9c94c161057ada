/**
 * How Bankgraph asks PayPal for access: plain OAuth scopes on the authorization request (front
 * channel), one per Bankgraph scope. PayPal has no word for alerts:read: nothing is asked for them. The accounts scope is always asked: Bankgraph lists the
 * chosen accounts to know which ones the person shared (and to route the bank's webhooks).
 */
import type { Scope } from "../../domain/consent.js";
import { bankScopes, type BankAuthorizationFormat } from "../authorization-format.js";

/** Bankgraph scope → PayPal's scopes. */
export const SCOPE_TABLE: Partial<Record<Scope, readonly string[]>> = {
  "accounts:read": ["https://uri.paypal.com/services/wallet/accounts/read"],
  "balances:read": ["https://uri.paypal.com/services/reporting/balances/read"],
  "transactions:read": ["https://uri.paypal.com/services/reporting/search/read"],
  "receipts:read": ["https://uri.paypal.com/services/reporting/receipts/read"],
  "identity:read": ["https://uri.paypal.com/services/paypalattributes"],
};

export const payPalAuthorization: BankAuthorizationFormat = {
  pushed: false,
  async prepare(ask) {
    return { parameters: { scope: bankScopes(SCOPE_TABLE, ask.scopes, SCOPE_TABLE["accounts:read"]) } };
  },
};
