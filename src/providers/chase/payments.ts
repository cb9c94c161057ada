/**
 * Chase's payment rail: FDX money movement (mocks/chase/openapi.yaml) ↔ payment-rail.ts. Pays
 * registered payees only (`toPayeeId`), sends Bankgraph's idempotency key as FDX's
 * `idempotency-key` header, and reads Chase's refusals (FDX error codes) as PaymentRefused. FDX
 * payments carry no fee, so none is quoted or reported.
 */
import { minorFromDecimal } from "../../domain/money.js";
import type { BankPaymentStatus, PaymentRail } from "../payment-rail.js";
import { PaymentRefused } from "../payment-refusal.js";
import type { ProviderOptions } from "../provider-module.js";
import { CHASE_REFUSALS, toStatus } from "./payment-status.js";
import { paymentAnswer, payeesAnswer, type FdxError, type FdxPayment } from "./payment-wire.js";

const FDX = "/fdx/v6";
const NAME = "JPMorgan Chase";
/** The refusals Chase answers in its FDX error body (the rest are failures of the call). */
const REFUSAL_STATUSES = [400, 403, 404, 409, 422] as const;

/** Builds Chase's payment rail over an HTTP client bound to Chase's base URL. */
export function createChasePaymentRail({ http }: ProviderOptions): PaymentRail {
  const refused = (reason: PaymentRefused["reason"], detail: string) => new PaymentRefused(reason, http.institutionId, NAME, detail);

  /** The payment, or Chase's refusal thrown. */
  const read = (body: FdxPayment | FdxError, where: string): BankPaymentStatus => {
    if ("code" in body) throw refused(CHASE_REFUSALS[body.code] ?? "INVALID", `${where}: FDX error ${body.code}`);
    return toStatus(body);
  };

  return {
    async listPayees(session) {
      const body = await http.request({ path: `${FDX}/payees`, session, answers: [403] }, payeesAnswer);
      if ("code" in body) throw refused(CHASE_REFUSALS[body.code] ?? "INVALID", `GET /payees: FDX error ${body.code}`);
      return body.payees
        .filter((p) => p.status === "ACTIVE")
        .map((p) => ({ payeeId: p.payeeId, displayName: p.merchant.displayName, maskedDestination: p.merchant.merchantAccountIds[0] ?? "" }));
    },

    async quoteFee() {
      return null;
    },

    async submit(session, submission) {
      const { payee, amount } = submission;
      if (payee.kind !== "REGISTERED_PAYEE") throw refused("INVALID", "Chase pays registered payees only");
      if (amount.currency !== "USD") throw refused("INVALID", `Chase pays in USD only, not ${amount.currency}`);
      const body = await http.request(
        {
          method: "POST",
          path: `${FDX}/payments`,
          session,
          headers: { "idempotency-key": submission.idempotencyKey },
          // No dueDate: pay now (the same body on a retry the next day is still the same request).
          json: {
            fromAccountId: submission.fromAccountId,
            toPayeeId: payee.payeeId,
            amount: Number(minorFromDecimal(amount.amount, "USD")) / 100,
            ...(submission.reference ? { memo: submission.reference } : {}),
          },
          answers: REFUSAL_STATUSES,
        },
        paymentAnswer,
      );
      return read(body, "POST /payments");
    },

    async status(session, bankPaymentId) {
      const body = await http.request({ path: `${FDX}/payments/${encodeURIComponent(bankPaymentId)}`, session, answers: [403, 404] }, paymentAnswer);
      return read(body, "GET /payments/{paymentId}");
    },
  };
}
