/**
 * The hash of exactly what the person confirms (PSD2 RTS Art. 5, "dynamic linking"): source
 * account, payee, amount, currency, reference and fee. The confirmation page binds the person's
 * passkey challenge to it; {@link PaymentService.confirmAndSubmit} refuses when the stored intent no
 * longer hashes to what was confirmed — any change after the challenge voids it.
 */
import { createHash } from "node:crypto";
import type { PaymentIntent } from "../domain/payment.js";

/** Hex SHA-256 over a canonical JSON array of the confirmed details (order fixed, amounts in minor units). */
export function paymentDetailsSha256(details: Pick<PaymentIntent, "fromAccountId" | "payee" | "amountMinor" | "currency" | "reference" | "feeMinor">): string {
  const payee = details.payee;
  const to = payee.kind === "REGISTERED_PAYEE" ? payee.payeeId : payee.kind === "EMAIL" ? payee.email : payee.phone;
  const canonical = JSON.stringify([
    "payment-details-v1",
    details.fromAccountId,
    payee.kind,
    to,
    details.amountMinor.toString(),
    details.currency,
    details.reference,
    details.feeMinor?.toString() ?? null,
  ]);
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
