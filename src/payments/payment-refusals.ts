/**
 * Refusals of a payment that store nothing and call no bank (PAYMENT_NOT_ALLOWED), and the one way
 * a payment's source account is named (the global Account ID's link and bank account).
 */
import { ErrorCode, GatewayError } from "../errors.js";
import { PaymentRefused } from "../providers/payment-refusal.js";

/** `extensions.reason` of a PAYMENT_NOT_ALLOWED refusal. */
export type PaymentRefusal = "CONSENT_MISSING" | "ACCOUNT_NOT_ALLOWED" | "PAYEE_NOT_FOUND" | "PAYMENTS_NOT_OFFERED" | "NOT_PERMITTED_AT_BANK";

const MESSAGE: Record<PaymentRefusal, string> = {
  CONSENT_MISSING:
    "This app has no consent to send money from this account: the person has not granted payments:write on its bank, or revoked it, or its payment limits ended",
  ACCOUNT_NOT_ALLOWED: "This account is not one the person allowed payments from",
  PAYEE_NOT_FOUND: "This payee is not one the person registered at their bank",
  PAYMENTS_NOT_OFFERED: "This bank sends no payments through Bankgraph",
  NOT_PERMITTED_AT_BANK: "The person's grant at this bank does not include sending payments: they must connect the bank again and allow payments there",
};

/**
 * A bank's refusal while a payment is being checked (its payee list, its fee quote), as the app's
 * refusal; anything else is rethrown as it is.
 */
export async function refusedByBank<T>(institutionId: string, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (!(error instanceof PaymentRefused)) throw error;
    if (error.reason === "NOT_PERMITTED") throw notAllowed("NOT_PERMITTED_AT_BANK", institutionId);
    if (error.reason === "UNKNOWN_PAYEE") throw notAllowed("PAYEE_NOT_FOUND", institutionId);
    if (error.reason === "UNKNOWN_ACCOUNT") throw notAllowed("ACCOUNT_NOT_ALLOWED", institutionId);
    throw error;
  }
}

/** PAYMENT_NOT_ALLOWED with the decision an app would otherwise read: DECLINED, and why. */
export function notAllowed(reason: PaymentRefusal, institutionId?: string): GatewayError {
  return new GatewayError(ErrorCode.PAYMENT_NOT_ALLOWED, MESSAGE[reason], {
    decision: "DECLINED",
    reason,
    ...(institutionId !== undefined && { institutionId }),
  });
}

/** Global Account IDs ↔ (link, bank account), lent by the schema layer. */
export interface PaymentAccountRef {
  /** null for anything that is not an Account ID. */
  decode(globalId: string): { linkId: string; accountId: string } | null;
  encode(linkId: string, accountId: string): string;
}
