/**
 * Payments in the person's words: whom the money went to (an email or phone partly masked — the
 * page never shows a full address or number), where it left from (the account's last four), and
 * what each status and change means.
 */
import { moneyFromMinor } from "../../domain/money.js";
import { PaymentStatus, type PaymentChangeSource, type PaymentIntent, type PaymentPayee } from "../../domain/payment.js";

/** "b•••@example.com": the first character of the name, the whole domain. */
export function maskedEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return at <= 0 ? "•••" : `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/** "••• 4567": the last four digits. */
export const maskedPhone = (phone: string): string => `••• ${phone.replace(/\D/g, "").slice(-4)}`;

/** Whom the money goes to, in words. */
export function payeeInWords(payee: PaymentPayee, institutionName: string): string {
  switch (payee.kind) {
    case "EMAIL":
      return `the email address ${maskedEmail(payee.email)}`;
    case "PHONE":
      return `the phone number ending ${maskedPhone(payee.phone)}`;
    case "REGISTERED_PAYEE":
      return `a payee you registered at ${institutionName}`;
  }
}

/** "$12.50" style amounts: the currency code after the decimal amount ("12.50 USD"). */
export const amountInWords = (minor: bigint, currency: string): string => `${moneyFromMinor(minor, currency).amount} ${currency}`;

/** "PayPal ••7805": the bank and the account's last four, as the dashboard shows shared accounts. */
export const accountInWords = (intent: Pick<PaymentIntent, "fromAccountMask">, institutionName: string): string =>
  `${institutionName} ••${intent.fromAccountMask.slice(-4)}`;

/** Where a payment stands, for the person. */
export const STATUS_WORDS: Readonly<Record<PaymentStatus, string>> = {
  [PaymentStatus.REQUIRES_CONFIRMATION]: "Waiting for you to confirm",
  [PaymentStatus.CONFIRMED]: "Confirmed by you, being sent",
  [PaymentStatus.SUBMITTED]: "Sent to your bank",
  [PaymentStatus.PENDING]: "On its way",
  [PaymentStatus.SETTLED]: "Paid",
  [PaymentStatus.RETURNED]: "Came back to your account",
  [PaymentStatus.DECLINED]: "Declined by Bankgraph",
  [PaymentStatus.EXPIRED]: "Expired: not confirmed in time",
  [PaymentStatus.CANCELLED]: "Cancelled",
  [PaymentStatus.FAILED]: "Failed at your bank",
};

/** Who made a change, for the person. */
export function sourceInWords(source: PaymentChangeSource, appName: string, institutionName: string): string {
  switch (source) {
    case "APP":
      return appName;
    case "PERSON":
      return "You";
    case "BANK":
      return institutionName;
    case "SYSTEM":
      return "Bankgraph";
  }
}

/** Reasons the gateway gives, in words; a bank's own wording is shown as the bank gave it. */
const REASON_WORDS: Readonly<Record<string, string>> = {
  LIMIT_REACHED: "over the limits you set",
  INSUFFICIENT_FUNDS: "not enough money in the account",
  RISK: "too many payments in a short time",
  NOT_CONFIRMED_IN_TIME: "not confirmed in time",
  CANCELLED_BY_APP: "cancelled by the app",
  CANCELLED_BY_PERSON: "cancelled by you",
  CONSENT_REVOKED: "the app's permission ended",
  CONSENT_EXPIRED: "the app's permission expired",
};

export const reasonInWords = (reason: string): string => REASON_WORDS[reason] ?? reason;
