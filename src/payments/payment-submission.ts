/**
 * Sending a confirmed payment to the bank. The intent's id is the bank's idempotency key, so a
 * retry after a timeout (the bank may have accepted it) finds the same payment, never a second
 * one. A bank that did not answer (unreachable, timed out, rate limited, a 5xx, an unreadable
 * answer) is retried with that same key; a bank that refused it outright (PaymentRefused) is not,
 * and the payment FAILS with the bank's reason.
 */
import type { PaymentIntent } from "../domain/payment.js";
import { moneyFromMinor } from "../domain/money.js";
import type { BankSession } from "../providers/contract.js";
import type { BankPaymentStatus, PaymentRail } from "../providers/payment-rail.js";
import { isRetryableSubmission, PaymentRefused } from "../providers/payment-refusal.js";
import { ProviderError } from "../providers/provider-error.js";

/** How a submission ended. */
export type SubmissionOutcome =
  | { kind: "STATUS"; status: BankPaymentStatus }
  /** The bank refused it: the payment FAILED, with the bank's reason in Bankgraph's words. */
  | { kind: "REFUSED"; reason: string }
  /** No answer after every attempt: the outcome is unknown until the bank tells (or a later retry asks) under the same key. */
  | { kind: "NO_ANSWER" };

/** Attempts in all (the first and the retries). */
export const SUBMIT_ATTEMPTS = 4;

/** The rails' own rule (src/providers/payment-refusal.ts), and a 5xx however the rail's HTTP client reported it. */
function retryable(error: unknown): boolean {
  if (isRetryableSubmission(error)) return true;
  return error instanceof ProviderError && !(error instanceof PaymentRefused) && error.failure === "UPSTREAM_ERROR" && /: 5\d\d$/.test(error.internalDetail);
}

/** Why the bank refused, in Bankgraph's words: the rail's reason where it gave one. */
function refusalReason(error: ProviderError): string {
  if (error instanceof PaymentRefused) return error.reason;
  return error.failure === "LOGIN_REQUIRED" ? "BANK_LOGIN_REQUIRED" : "REFUSED_BY_BANK";
}

export async function submitWithRetries(
  rail: PaymentRail,
  session: BankSession,
  intent: PaymentIntent,
  options: { baseDelayMs: number; attempts?: number },
): Promise<SubmissionOutcome> {
  const attempts = options.attempts ?? SUBMIT_ATTEMPTS;
  const submission = {
    idempotencyKey: intent.id,
    fromAccountId: intent.fromAccountId,
    payee: intent.payee,
    amount: moneyFromMinor(intent.amountMinor, intent.currency),
    reference: intent.reference,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return { kind: "STATUS", status: await rail.submit(session, submission) };
    } catch (error) {
      if (!retryable(error)) {
        if (error instanceof ProviderError) return { kind: "REFUSED", reason: refusalReason(error) };
        throw error;
      }
      if (attempt >= attempts) return { kind: "NO_ANSWER" };
      await new Promise((resolve) => setTimeout(resolve, options.baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
