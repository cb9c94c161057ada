/**
 * U.S. Bank's payment rail: its `/v3/payees` and `/v3/payments` (mocks/us-bank/openapi.yaml) ↔
 * payment-rail.ts. Pays registered payees only, sends Bankgraph's idempotency key as the
 * `USB-Idempotency-Key` header, and reads the envelope's refusal codes as PaymentRefused. The
 * bank reports the fee on each payment but quotes none before.
 */
import type { BankPaymentStatus, PaymentRail } from "../payment-rail.js";
import { PaymentRefused } from "../payment-refusal.js";
import type { ProviderOptions } from "../provider-module.js";
import { toStatus, US_BANK_REFUSALS } from "./payment-status.js";
import { UsBankPayeesAnswer, UsBankPaymentAnswer, type UsBankRefusal } from "./payment-wire.js";

const NAME = "U.S. Bancorp";
/** The header U.S. Bank reads its idempotency key from. */
export const IDEMPOTENCY_HEADER = "USB-Idempotency-Key";
/** The refusals U.S. Bank answers in its envelope (the rest are failures of the call). */
const REFUSAL_STATUSES = [400, 403, 404, 409, 422] as const;

/** Builds U.S. Bank's payment rail over an HTTP client bound to U.S. Bank's base URL. */
export function createUsBankPaymentRail({ http }: ProviderOptions): PaymentRail {
  const refused = (body: UsBankRefusal, where: string) =>
    new PaymentRefused(US_BANK_REFUSALS[body.Status.Code] ?? "INVALID", http.institutionId, NAME, `${where}: ${body.Status.Code}`);

  const read = (body: UsBankPaymentAnswer, where: string): BankPaymentStatus => {
    if (body.ResponseData === null) throw refused(body, where);
    return toStatus(body.ResponseData.Payment);
  };

  return {
    async listPayees(session) {
      const body = await http.request({ path: "/v3/payees", session, answers: [403] }, UsBankPayeesAnswer);
      if (body.ResponseData === null) throw refused(body, "GET /v3/payees");
      return body.ResponseData.PayeeList.map((p) => ({ payeeId: p.PayeeID, displayName: p.PayeeName, maskedDestination: p.MaskedToken }));
    },

    async quoteFee() {
      return null;
    },

    async submit(session, submission) {
      const { payee, amount } = submission;
      if (payee.kind !== "REGISTERED_PAYEE") throw new PaymentRefused("INVALID", http.institutionId, NAME, "U.S. Bank pays registered payees only");
      const body = await http.request(
        {
          method: "POST",
          path: "/v3/payments",
          session,
          headers: { [IDEMPOTENCY_HEADER]: submission.idempotencyKey },
          json: {
            FromAccountID: submission.fromAccountId,
            PayeeID: payee.payeeId,
            Amount: amount.amount,
            CurrencyCode: amount.currency,
            ...(submission.reference ? { Memo: submission.reference } : {}),
          },
          answers: REFUSAL_STATUSES,
        },
        UsBankPaymentAnswer,
      );
      return read(body, "POST /v3/payments");
    },

    async status(session, bankPaymentId) {
      const body = await http.request({ path: `/v3/payments/${encodeURIComponent(bankPaymentId)}`, session, answers: [403, 404] }, UsBankPaymentAnswer);
      return read(body, "GET /v3/payments/{PaymentID}");
    },
  };
}
