/**
 * Payments → GraphQL parents, and the access-log record every payment read or creation leaves
 * (scope payments:write, under the consent the payment was made with).
 */
import { PAYMENTS_WRITE } from "../../domain/consent.js";
import { moneyFromMinor } from "../../domain/money.js";
import { PaymentStatus, type PaymentLimits as DomainLimits } from "../../domain/payment.js";
import type { PaymentView } from "../../payments/payment-service.js";
import type { GatewayContext } from "../../request/gateway-context.js";
import { paymentAccountIds } from "../global-id.js";
import type { AppEvent } from "../../realtime/app-event.js";
import { PayeeKind, Payment, PaymentDecision, PaymentLimits, PaymentStatusUpdate } from "../types/payment.type.js";

export function toPayment({ intent, confirmationUrl }: PaymentView): Payment {
  const payee = intent.payee;
  return Object.assign(new Payment(), {
    id: intent.id,
    status: intent.status,
    decision: intent.status === PaymentStatus.DECLINED ? PaymentDecision.DECLINED : PaymentDecision.APPROVED,
    declineReason: intent.declineReason,
    failureReason: intent.failureReason,
    fromAccountId: paymentAccountIds.encode(intent.linkId, intent.fromAccountId),
    fromAccountMask: intent.fromAccountMask,
    institutionId: intent.institutionId,
    payee: {
      kind: payee.kind as PayeeKind,
      payeeId: payee.kind === "REGISTERED_PAYEE" ? payee.payeeId : null,
      email: payee.kind === "EMAIL" ? payee.email : null,
      phone: payee.kind === "PHONE" ? payee.phone : null,
    },
    amount: moneyFromMinor(intent.amountMinor, intent.currency),
    fee: intent.feeMinor === null ? null : moneyFromMinor(intent.feeMinor, intent.currency),
    reference: intent.reference,
    confirmationUrl,
    confirmationExpiresAt: intent.confirmExpiresAt,
    createdAt: intent.createdAt,
    updatedAt: intent.updatedAt,
    localId: intent.id,
    linkId: intent.linkId,
    consentId: intent.consentId,
  });
}

/** A logged status change of a payment, with the payment as it is now. */
export function toPaymentStatusUpdate(change: Extract<AppEvent, { kind: "PAYMENT" }>, view: PaymentView): PaymentStatusUpdate {
  return Object.assign(new PaymentStatusUpdate(), { status: change.status as PaymentStatus, reason: change.reason, payment: toPayment(view) });
}

export function toPaymentLimits(linkId: string, limits: DomainLimits): PaymentLimits {
  return Object.assign(new PaymentLimits(), {
    perPayment: moneyFromMinor(limits.perPaymentMinor, limits.currency),
    dailyAmount: moneyFromMinor(limits.dailyAmountMinor, limits.currency),
    dailyCount: limits.dailyCount,
    fromAccountIds: (limits.accountIds ?? []).map((id) => paymentAccountIds.encode(linkId, id)),
    endsAt: limits.endsAt,
  });
}

/** Puts each payment's (link, payments:write) on the request's access record, under the consent it was made with. */
export async function recordPaymentAccess(context: GatewayContext, views: readonly PaymentView[]): Promise<void> {
  const purposes = new Map<string, string>();
  for (const { intent } of views) {
    let purpose = purposes.get(intent.consentId);
    if (purpose === undefined) {
      purpose = (await context.services.consents.getForUser(intent.consentId, intent.userId)).purpose;
      purposes.set(intent.consentId, purpose);
    }
    context.access.record({ linkId: intent.linkId, institutionId: intent.institutionId, consentId: intent.consentId, purpose, scope: PAYMENTS_WRITE });
  }
}
