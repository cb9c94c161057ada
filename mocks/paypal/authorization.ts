/**
 * How PayPal's mock asks for access: OAuth scopes on the authorization request, and which resource each opens. The data
 * routes' guard enforces this table; openapi.yaml beside this file documents it.
 */
import type { MockBankDefinition } from "../bank.js";
import type { BankAuthorization, BankLook, ResourceTable } from "../oauth/bank-authorization.js";

export const PAYPAL_SCOPES = {
  "https://uri.paypal.com/services/wallet/accounts/read": { label: "Your PayPal balance and linked cards (names, last four digits)", opens: ["accounts"] },
  "https://uri.paypal.com/services/reporting/balances/read": { label: "Your balances", opens: ["balances"] },
  "https://uri.paypal.com/services/reporting/search/read": { label: "Your transactions (amounts, dates, merchants)", opens: ["transactions"] },
  "https://uri.paypal.com/services/reporting/receipts/read": { label: "Your receipts (items, prices, shipping status)", opens: ["receipts"] },
  "https://uri.paypal.com/services/paypalattributes": { label: "Your name, address, email and phone number", opens: ["identity"] },
  /** Send money (issue 16). */
  "https://uri.paypal.com/payments/payouts": { label: "Send money to an email address or phone number, each payment confirmed by you", opens: ["payments"] },
} as const satisfies ResourceTable;

export const payPalAuthorization: BankAuthorization = { style: "scopes", scopes: PAYPAL_SCOPES };

export const payPalLook: BankLook = {
  brand: "PayPal",
  primary: "#003087",
  onPrimary: "#ffffff",
  background: "#f5f7fa",
  accent: "#0070e0",
  font: '"Helvetica Neue", Arial, sans-serif',
};

/** A refused data call in PayPal's error format. */
export const payPalRefusal: MockBankDefinition["refusal"] = (status) =>
  status === 401
    ? { error: "invalid_token", error_description: "Token signature verification failed or the token has expired" }
    : { name: "NOT_AUTHORIZED", message: "Authorization failed due to insufficient permissions." };
