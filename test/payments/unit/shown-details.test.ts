/**
 * Dynamic linking, pure (src/payments/shown-details.ts, src/passkeys/passkey-service.ts): the
 * details a page shows hash back to exactly the payment's details hash, any changed field — or a
 * malformed post — never does, and the passkey challenge bound to one details hash differs from
 * the challenge for any other (for the same nonce) and from the same details under another nonce.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PaymentStatus, type PaymentIntent } from "../../../src/domain/payment.js";
import { paymentChallenge } from "../../../src/passkeys/passkey-service.js";
import { paymentDetailsSha256 } from "../../../src/payments/payment-details.js";
import { shownDetailsOf, shownDetailsSha256 } from "../../../src/payments/shown-details.js";

const details = {
  fromAccountId: "chk-001",
  payee: { kind: "REGISTERED_PAYEE" as const, payeeId: "cha-payee-alice-0" },
  amountMinor: 1234n,
  currency: "USD",
  reference: "Dinner",
  feeMinor: 50n,
};
const intent: PaymentIntent = {
  id: "00000000-0000-4000-8000-000000000001",
  userId: "alice",
  clientId: "messenger",
  consentId: "00000000-0000-4000-8000-000000000002",
  linkId: "00000000-0000-4000-8000-000000000003",
  institutionId: "chase",
  fromAccountMask: "6985",
  ...details,
  detailsSha256: paymentDetailsSha256(details),
  status: PaymentStatus.REQUIRES_CONFIRMATION,
  declineReason: null,
  failureReason: null,
  createdAt: new Date(0),
  confirmExpiresAt: new Date(600_000),
  updatedAt: new Date(0),
  bankPaymentId: null,
  bankStatusCode: null,
  bankAsOf: null,
};

describe("the details a page shows", () => {
  it("are rendered as decimals and a mask, and hash back to the payment's details hash", () => {
    const shown = shownDetailsOf(intent);
    expect(shown).toEqual({
      amount: "12.34",
      currency: "USD",
      fee: "0.50",
      payeeKind: "REGISTERED_PAYEE",
      payee: "cha-payee-alice-0",
      reference: "Dinner",
      fromAccountMask: "6985",
    });
    expect(shownDetailsSha256(intent, shown)).toBe(intent.detailsSha256);
    expect(shownDetailsSha256({ ...intent, feeMinor: null, detailsSha256: "" }, { ...shown, fee: null })).toBe(
      paymentDetailsSha256({ ...details, feeMinor: null }),
    );
  });

  it.each([
    ["amount", { amount: "12.35" }],
    ["amount with a trailing digit", { amount: "12.341" }],
    ["currency", { currency: "EUR" }],
    ["fee", { fee: "0.00" }],
    ["no fee", { fee: null }],
    ["payee", { payee: "cha-payee-alice-1" }],
    ["payee kind", { payeeKind: "EMAIL" }],
    ["reference", { reference: "Dinner!" }],
    ["account mask", { fromAccountMask: "0000" }],
  ])("changed in the %s never hash to the payment's details", (_what, change) => {
    const hash = shownDetailsSha256(intent, { ...shownDetailsOf(intent), ...change });
    expect(hash).not.toBe(intent.detailsSha256);
  });

  it.each([
    null,
    "text",
    42,
    [],
    {},
    { ...shownDetailsOf(intent), amount: 12.34 },
    { ...shownDetailsOf(intent), payeeKind: "IBAN" },
    { ...shownDetailsOf(intent), amount: "x" },
  ])("malformed (%j) hash to nothing", (posted) => {
    expect(shownDetailsSha256(intent, posted)).toBeNull();
  });
});

describe("the passkey challenge of a payment", () => {
  it("is bound to the details hash and the nonce: another hash or another nonce gives another challenge", () => {
    const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), hex, hex, (nonce, otherNonce, a, b) => {
        fc.pre(a !== b && nonce !== otherNonce);
        expect(paymentChallenge(nonce, a)).not.toBe(paymentChallenge(nonce, b));
        expect(paymentChallenge(nonce, a)).not.toBe(paymentChallenge(otherNonce, a));
        expect(paymentChallenge(nonce, a)).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }),
    );
  });
});
