/**
 * The payment's details as the confirmation page shows them to the person (decimal strings, the
 * masked source account), and the way back from what a page posts to the details hash
 * (src/payments/payment-details.ts). The page posts what it showed; the hash of that must be the
 * one the passkey signed and the one the payment holds (PSD2 dynamic linking).
 */
import { minorFromDecimal, moneyFromMinor } from "../domain/money.js";
import type { PaymentIntent, PaymentPayee } from "../domain/payment.js";
import { paymentDetailsSha256 } from "./payment-details.js";

/** What the person reads, field by field; the page renders exactly these. */
export interface ShownPaymentDetails {
  amount: string;
  currency: string;
  /** The bank's fee, or null when the bank quoted none. */
  fee: string | null;
  payeeKind: PaymentPayee["kind"];
  /** The registered payee's id, the email address or the phone number. */
  payee: string;
  reference: string;
  /** The last characters of the source account, never the whole number. */
  fromAccountMask: string;
}

export function shownDetailsOf(intent: PaymentIntent): ShownPaymentDetails {
  const payee = intent.payee;
  return {
    amount: moneyFromMinor(intent.amountMinor, intent.currency).amount,
    currency: intent.currency,
    fee: intent.feeMinor === null ? null : moneyFromMinor(intent.feeMinor, intent.currency).amount,
    payeeKind: payee.kind,
    payee: payee.kind === "REGISTERED_PAYEE" ? payee.payeeId : payee.kind === "EMAIL" ? payee.email : payee.phone,
    reference: intent.reference,
    fromAccountMask: intent.fromAccountMask,
  };
}

const text = (value: unknown, max = 300): string | null => (typeof value === "string" && value.length <= max ? value : null);

function payeeOf(kind: unknown, value: string): PaymentPayee | null {
  if (kind === "REGISTERED_PAYEE") return { kind, payeeId: value };
  if (kind === "EMAIL") return { kind, email: value };
  if (kind === "PHONE") return { kind, phone: value };
  return null;
}

/**
 * The details hash of what a page posted as shown for `intent`'s payment (its source account is
 * the intent's, named by the mask the page showed). Null when the post is malformed or names
 * another account: such a post never matches any challenge.
 */
export function shownDetailsSha256(intent: PaymentIntent, posted: unknown): string | null {
  if (typeof posted !== "object" || posted === null) return null;
  const p = posted as Record<string, unknown>;
  const [amount, currency, payee, reference, mask] = [
    text(p["amount"], 40),
    text(p["currency"], 3),
    text(p["payee"]),
    text(p["reference"]),
    text(p["fromAccountMask"], 40),
  ];
  const fee = p["fee"] === null ? null : text(p["fee"], 40);
  if (amount === null || currency === null || payee === null || reference === null || mask === null) return null;
  if (p["fee"] !== null && fee === null) return null;
  if (mask !== intent.fromAccountMask) return null;
  const to = payeeOf(p["payeeKind"], payee);
  if (!to) return null;
  try {
    return paymentDetailsSha256({
      fromAccountId: intent.fromAccountId,
      payee: to,
      amountMinor: minorFromDecimal(amount, currency),
      currency,
      reference,
      feeMinor: fee === null ? null : minorFromDecimal(fee, currency),
    });
  } catch {
    return null;
  }
}
