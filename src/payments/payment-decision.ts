/**
 * The gateway's decision on a new intent, pure: taken under the consent's limits lock with what
 * the rolling 24 hours already hold (src/store/payment-repository.ts `usage`).
 */
import { PaymentDeclineReason, type PaymentLimits } from "../domain/payment.js";
import type { WindowUsage } from "../store/payment-repository.js";

/** Limits look back this far: a rolling day, not a calendar one. */
export const LIMIT_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The velocity rule: this many intents (declined ones included) within {@link VELOCITY_WINDOW_MS} → RISK. */
export const VELOCITY_MAX_ATTEMPTS = 10;
export const VELOCITY_WINDOW_MS = 60 * 1000;

export interface DecisionFacts {
  limits: PaymentLimits;
  usage: WindowUsage;
  amountMinor: bigint;
  feeMinor: bigint | null;
  /** The source account's available funds where the bank said; null = unknown (not checked). */
  availableMinor: bigint | null;
}

/** null = APPROVED; otherwise why it is declined. RISK first, then limits, then funds. */
export function decidePayment(facts: DecisionFacts): PaymentDeclineReason | null {
  const { limits, usage, amountMinor } = facts;
  if (usage.recentAttempts >= VELOCITY_MAX_ATTEMPTS) return PaymentDeclineReason.RISK;
  if (amountMinor > limits.perPaymentMinor) return PaymentDeclineReason.LIMIT_REACHED;
  if (usage.amountMinor + amountMinor > limits.dailyAmountMinor || usage.count + 1 > limits.dailyCount) return PaymentDeclineReason.LIMIT_REACHED;
  if (facts.availableMinor !== null && facts.availableMinor < amountMinor + (facts.feeMinor ?? 0n)) return PaymentDeclineReason.INSUFFICIENT_FUNDS;
  return null;
}
