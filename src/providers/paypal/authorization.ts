/**
 * How Bankgraph asks PayPal for access: plain OAuth scopes on the authorization request (front
 * channel), one per Bankgraph scope. PayPal has no word for alerts:read: nothing is asked for them. The accounts scope is always asked: Bankgraph lists the
 * chosen accounts to know which ones the person shared (and to route the bank's webhooks).
 */
import type { Scope } from "../../domain/consent.js";
import { bankScopes, type BankAuthorizationFormat } from "../authorization-format.js";

/**
 * How PayPal is asked for permission to send money (issue 16): its Payouts scope, which opens
 * `/v1/payments/payouts` from the accounts the person chooses. Asked when the ask holds `payments:write`.
 */
export const PAYMENT_SCOPES: readonly string[] = ["https://uri.paypal.com/payments/payouts"];

/** Bankgraph scope → PayPal's scopes (`payments:write`: the payment scope of issue 16, asked only when granted on its own). */
export const SCOPE_TABLE: Partial<Record<Scope | "payments:write", readonly string[]>> = {
  "accounts:read": ["https://uri.paypal.com/services/wallet/accounts/read"],
  "balances:read": ["https://uri.paypal.com/services/reporting/balances/read"],
  "transactions:read": ["https://uri.paypal.com/services/reporting/search/read"],
  "receipts:read": ["https://uri.paypal.com/services/reporting/receipts/read"],
  "identity:read": ["https://uri.paypal.com/services/paypalattributes"],
  "payments:write": PAYMENT_SCOPES,
};

export const payPalAuthorization: BankAuthorizationFormat = {
  pushed: false,
  async prepare(ask) {
    return { parameters: { scope: bankScopes(SCOPE_TABLE, ask.scopes, SCOPE_TABLE["accounts:read"]) } };
  },
};
