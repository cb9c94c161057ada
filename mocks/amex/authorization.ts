/**
 * How American Express's mock asks for access: OAuth scopes on the authorization request, and which resource each opens. The data
 * routes' guard enforces this table; openapi.yaml beside this file documents it.
 */
import type { MockBankDefinition } from "../bank.js";
import type { BankAuthorization, BankLook, ResourceTable } from "../oauth/bank-authorization.js";

export const AMEX_SCOPES = {
  "member.accounts.read": { label: "Your card names, types and last four digits", opens: ["accounts"] },
  "member.balances.read": { label: "Your card balances", opens: ["balances"] },
  "member.transactions.read": { label: "Your card transactions (amounts, dates, merchants)", opens: ["transactions"] },
  "member.receipts.read": { label: "Your receipts (items, prices, shipping status)", opens: ["receipts"] },
  "member.profile.read": { label: "Your name, address, email and phone number", opens: ["identity"] },
} as const satisfies ResourceTable;

export const amexAuthorization: BankAuthorization = { style: "scopes", scopes: AMEX_SCOPES };

export const amexLook: BankLook = {
  brand: "American Express",
  primary: "#00175a",
  onPrimary: "#ffffff",
  background: "#f7f8f9",
  accent: "#006fcf",
  font: '"Helvetica Neue", Helvetica, Arial, sans-serif',
};

/** A refused data call in American Express's error format. */
export const amexRefusal: MockBankDefinition["refusal"] = (status) =>
  status === 401
    ? { error_code: "INVALID_TOKEN", error_message: "The access token is invalid or has expired" }
    : { error_code: "INSUFFICIENT_SCOPE", error_message: "The access token does not grant this resource" };
