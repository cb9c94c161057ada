/**
 * How JPMorgan Chase's mock asks for access: FDX data clusters in `authorization_details` (type fdx_v1.0, pushed via PAR), and which resource each opens. The data
 * routes' guard enforces this table; openapi.yaml beside this file documents it.
 */
import type { MockBankDefinition } from "../bank.js";
import type { BankAuthorization, BankLook, ResourceTable } from "../oauth/bank-authorization.js";

export const CHASE_CLUSTERS = {
  ACCOUNT_BASIC: { label: "Your account names, types and last four digits", opens: ["accounts"] },
  ACCOUNT_DETAILED: { label: "Your account details and balances", opens: ["accounts", "balances"] },
  TRANSACTIONS: { label: "Your transactions (pending and posted, amounts, dates, merchants)", opens: ["transactions"] },
  CUSTOMER_CONTACT: { label: "Your name, address, email and phone number", opens: ["identity"] },
  /** FDX money movement: payees and payments from the accounts chosen (issue 16). */
  PAYMENT_INITIATION: { label: "Send payments to your Zelle payees from the accounts you choose, each one confirmed by you", opens: ["payments"] },
} as const satisfies ResourceTable;

export const chaseAuthorization: BankAuthorization = { style: "fdx", clusters: CHASE_CLUSTERS };

export const chaseLook: BankLook = {
  brand: "Chase",
  primary: "#005eb8",
  onPrimary: "#ffffff",
  background: "#f4f7fb",
  accent: "#004080",
  font: '"Open Sans", Arial, sans-serif',
};

/** A refused data call in JPMorgan Chase's error format. */
export const chaseRefusal: MockBankDefinition["refusal"] = (status) =>
  status === 401
    ? { code: 401, message: "Unauthorized", debugMessage: "Bearer token is missing, invalid or expired" }
    : { code: 403, message: "Forbidden", debugMessage: "The consent does not include the data cluster for this resource" };
