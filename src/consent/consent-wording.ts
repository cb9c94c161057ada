/**
 * The ONE table of words the person reads for scopes and purposes, everywhere: the disclosure
 * page, /connections and the signed consent receipts (so a receipt says exactly what the page
 * said). Plain English; a scope is a short label plus the fields it opens, shown under <details>.
 * Wording follows the FDX data-cluster labels and the UK CEG cluster language
 * (reference/consent-journey.md, row 8).
 */
import { ConsentPurpose, type Scope } from "../domain/consent.js";

export interface ScopeWording {
  /** One line: what kind of data. */
  label: string;
  /** What exactly that includes. */
  fields: readonly string[];
}

export const SCOPE_WORDING: Readonly<Record<Scope, ScopeWording>> = {
  "accounts:read": {
    label: "Which accounts you have",
    fields: ["Account name and type (checking, savings, card, wallet)", "The last 4 digits of the account number, never the full number", "Currency"],
  },
  "balances:read": {
    label: "Account balances",
    fields: ["Current balance", "Available balance", "Credit limit, for cards", "When the balance was last updated"],
  },
  "transactions:read": {
    label: "Transactions",
    fields: ["Pending and posted transactions", "Amount, date and description", "Merchant name and category"],
  },
  "receipts:read": { label: "Receipts and shipping", fields: ["Items and prices on a receipt", "Shipping carrier, status and tracking updates"] },
  "identity:read": { label: "Your name and contact details", fields: ["Account holder name", "Email address", "Postal address", "Phone number"] },
  "alerts:read": { label: "Alerts from your bank", fields: ["Fraud alerts", "Balance alerts"] },
  "payments:write": {
    label: "Send money from your accounts",
    fields: [
      "Only payments you confirm yourself, one by one, on your own device",
      "Only within the limits you set: per payment, per day, and until an end date",
      "Only from the accounts you allow",
    ],
  },
};

/** Why the app asks, in one sentence that completes "<App> asks so that it can …". */
export const PURPOSE_WORDING: Readonly<Record<ConsentPurpose, string>> = {
  [ConsentPurpose.ACCOUNT_OVERVIEW]: "show you your accounts and balances in one place",
  [ConsentPurpose.TRANSACTION_NOTIFICATIONS]: "send you a message when money moves in or out of your accounts",
  [ConsentPurpose.RECEIPTS_AND_SHIPPING]: "show you your receipts and tell you where your orders are",
  [ConsentPurpose.FRAUD_PROTECTION]: "warn you quickly about payments that may be fraud",
  [ConsentPurpose.PERSONAL_FINANCE_MANAGEMENT]: "help you plan a budget and see where your money goes",
  [ConsentPurpose.PAYMENTS_SUPPORT]: "help you with payments you make or receive",
};

/** What every disclosure says about what the app will not do with the data (CFPB 1033.421(a)(2)). */
export const USE_LIMITS = "It will not use your data for advertising or cross-selling, will not sell it, and will not share it with other companies.";
