/**
 * How Wells Fargo's mock asks for access: OAuth scopes on the authorization request, and which resource each opens. The data
 * routes' guard enforces this table; openapi.yaml beside this file documents it.
 */
import type { MockBankDefinition } from "../bank.js";
import type { BankAuthorization, BankLook, ResourceTable } from "../oauth/bank-authorization.js";

export const WELLS_FARGO_SCOPES = {
  accounts: { label: "Your account names, types and last four digits", opens: ["accounts"] },
  balances: { label: "Your account balances", opens: ["balances"] },
  transactions: { label: "Your transactions (pending and posted, amounts, dates, merchants)", opens: ["transactions"] },
  customers: { label: "Your name, address, email and phone number", opens: ["identity"] },
} as const satisfies ResourceTable;

export const wellsFargoAuthorization: BankAuthorization = { style: "scopes", scopes: WELLS_FARGO_SCOPES };

export const wellsFargoLook: BankLook = {
  brand: "Wells Fargo",
  primary: "#b31b1b",
  onPrimary: "#ffffff",
  background: "#fdf6e3",
  accent: "#8a5a00",
  font: 'Georgia, "Times New Roman", serif',
};

/** A refused data call in Wells Fargo's error format. */
export const wellsFargoRefusal: MockBankDefinition["refusal"] = (status) =>
  status === 401
    ? { error: { code: "INVALID_TOKEN", message: "The access token is missing, invalid or expired" } }
    : { error: { code: "INSUFFICIENT_SCOPE", message: "The access token does not grant this resource" } };
