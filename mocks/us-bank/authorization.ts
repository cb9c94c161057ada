/**
 * How U.S. Bank's mock asks for access: OAuth scopes on the authorization request, and which resource each opens. The data
 * routes' guard enforces this table; openapi.yaml beside this file documents it.
 */
import type { MockBankDefinition } from "../bank.js";
import type { BankAuthorization, BankLook, ResourceTable } from "../oauth/bank-authorization.js";

export const US_BANK_SCOPES = {
  AccountInfo: { label: "Your account names, types and last four digits", opens: ["accounts"] },
  AccountBalance: { label: "Your account balances", opens: ["balances"] },
  TransactionHistory: { label: "Your transactions (pending and posted, amounts, dates, merchants)", opens: ["transactions"] },
  CustomerProfile: { label: "Your name, address, email and phone number", opens: ["identity"] },
  /** Payments to the customer's registered payees (issue 16). */
  PaymentInitiation: { label: "Send payments to your Zelle recipients from the accounts you choose, each one confirmed by you", opens: ["payments"] },
} as const satisfies ResourceTable;

export const usBankAuthorization: BankAuthorization = { style: "scopes", scopes: US_BANK_SCOPES };

export const usBankLook: BankLook = {
  brand: "U.S. Bank",
  primary: "#0c2074",
  onPrimary: "#ffffff",
  background: "#f2f4f8",
  accent: "#a3201a",
  font: "Arial, Helvetica, sans-serif",
};

/** A refused data call in U.S. Bank's error format. */
export const usBankRefusal: MockBankDefinition["refusal"] = (status) => ({
  ResponseData: null,
  Status:
    status === 401 ? { Code: "4010", Message: "Access token is invalid or expired" } : { Code: "4030", Message: "Access token does not grant this resource" },
});
