/**
 * The person confirms a payment with a passkey (issue 16 item 3), for the confirmation page:
 *
 *   options  the page posts the details it shows; they must hash to what the payment holds now.
 *            The passkey's challenge is then bound to that hash (src/passkeys/passkey-service.ts).
 *   confirm  the page posts the passkey's answer and the details it showed. The answer must verify
 *            (user verification, origin, RP ID, counter, a challenge issued to this person for this
 *            payment, unused and unexpired); the posted details, the signed challenge's details and
 *            the payment's current details must all be the same hash. Only then does
 *            PaymentService.confirmAndSubmit run — which checks the stored details once more under
 *            the payment's lock. Any mismatch is PAYMENT_DETAILS_CHANGED and nothing goes to the bank.
 */
import type { PaymentIntent } from "../domain/payment.js";
import { PaymentStatus } from "../domain/payment.js";
import { ErrorCode, GatewayError } from "../errors.js";
import type { PasskeyService } from "../passkeys/passkey-service.js";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { RegisteredPayee } from "../providers/payment-rail.js";
import { paymentDetailsSha256 } from "./payment-details.js";
import type { PaymentService } from "./payment-service.js";
import { shownDetailsOf, shownDetailsSha256, type ShownPaymentDetails } from "./shown-details.js";

const detailsChanged = () =>
  new GatewayError(ErrorCode.PAYMENT_DETAILS_CHANGED, "The payment's details are not the ones you were shown; nothing was sent", {
    reason: "PAYMENT_DETAILS_CHANGED",
  });

/** What the confirmation page shows: the payment as it is now, and whether the person has a passkey yet. */
export interface ConfirmationView {
  intent: PaymentIntent;
  shown: ShownPaymentDetails;
  /** The registered payee as the bank names it; null for an email or phone, or when the bank did not answer. */
  payee: RegisteredPayee | null;
  hasPasskey: boolean;
}

export class PaymentConfirmation {
  constructor(private readonly deps: { payments: PaymentService; passkeys: PasskeyService }) {}

  /** The person's own payment (NOT_FOUND for anyone else's, as for one that does not exist). */
  async view(personId: string, paymentId: string): Promise<ConfirmationView> {
    const intent = await this.deps.payments.forPerson(paymentId, personId);
    const [payee, passkeys] = await Promise.all([this.deps.payments.registeredPayee(intent), this.deps.passkeys.list(personId)]);
    return { intent, shown: shownDetailsOf(intent), payee, hasPasskey: passkeys.length > 0 };
  }

  /** Passkey options bound to the details the page shows, if they are the payment's (PAYMENT_DETAILS_CHANGED otherwise). */
  async options(personId: string, paymentId: string, shown: unknown): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const intent = await this.deps.payments.forPerson(paymentId, personId);
    if (intent.status !== PaymentStatus.REQUIRES_CONFIRMATION) {
      throw new GatewayError(ErrorCode.CONFLICT, `This payment is ${intent.status} and can no longer be confirmed`, { reason: intent.status });
    }
    const detailsSha256 = currentDetails(intent);
    if (shownDetailsSha256(intent, shown) !== detailsSha256) throw detailsChanged();
    return this.deps.passkeys.paymentOptions(personId, { paymentId, detailsSha256 });
  }

  /** Verifies the passkey's answer against the details shown and the payment's, then confirms and submits. */
  async confirm(personId: string, paymentId: string, shown: unknown, response: unknown): Promise<PaymentIntent> {
    await this.deps.payments.forPerson(paymentId, personId);
    const signed = await this.deps.passkeys.verifyPayment(personId, paymentId, response);
    const intent = await this.deps.payments.forPerson(paymentId, personId);
    if (shownDetailsSha256(intent, shown) !== signed.detailsSha256 || currentDetails(intent) !== signed.detailsSha256) throw detailsChanged();
    return this.deps.payments.confirmAndSubmit(paymentId, personId, signed.detailsSha256);
  }
}

/** The hash of the payment's details as stored now; PAYMENT_DETAILS_CHANGED when they no longer match the hash it was created with. */
function currentDetails(intent: PaymentIntent): string {
  const now = paymentDetailsSha256(intent);
  if (now !== intent.detailsSha256) throw detailsChanged();
  return now;
}
