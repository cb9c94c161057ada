/**
 * How Citi's mock asks for access: UK Open Banking permissions on an account-access consent (authorized by `openbanking_intent_id`, scope `accounts`), and which resource each opens. The data
 * routes' guard enforces this table; openapi.yaml beside this file documents it.
 */
import type { MockBankDefinition } from "../bank.js";
import type { BankAuthorization, BankLook, ResourceTable } from "../oauth/bank-authorization.js";

export const CITI_PERMISSIONS = {
  ReadAccountsBasic: { label: "Your account names and types", opens: ["accounts"] },
  ReadAccountsDetail: { label: "Your account names, types and masked numbers", opens: ["accounts"] },
  ReadBalances: { label: "Your account balances", opens: ["balances"] },
  ReadTransactionsBasic: { label: "Your transactions (amounts and dates)", opens: ["transactions"] },
  ReadTransactionsDetail: { label: "Your transactions with merchant details", opens: ["transactions"] },
  ReadParty: { label: "Your name, address, email and phone number", opens: ["identity"] },
} as const satisfies ResourceTable;

export const citiAuthorization: BankAuthorization = { style: "uk", permissions: CITI_PERMISSIONS, scope: "accounts" };

export const citiLook: BankLook = {
  brand: "Citi",
  primary: "#003b70",
  onPrimary: "#ffffff",
  background: "#eef3f8",
  accent: "#056dae",
  font: "Interstate, Arial, sans-serif",
};

/** A refused data call in Citi's error format. */
export const citiRefusal: MockBankDefinition["refusal"] = (status) =>
  status === 401
    ? { httpCode: "401", httpMessage: "Unauthorized", moreInformation: "Access token is invalid or has expired." }
    : { httpCode: "403", httpMessage: "Forbidden", moreInformation: "The account-access consent does not include this permission." };
