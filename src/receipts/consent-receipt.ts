/**
 * What a signed consent receipt says: the consent in plain words, as the person agreed to it and
 * as it stands after one lifecycle change. The payload of a compact JWS (ES256, typ
 * {@link RECEIPT_TYP}) that anyone can verify against the gateway's /.well-known/jwks.json — the
 * person, the app, the bank, an auditor — without asking Bankgraph. Format: docs/receipts.md.
 *
 * A receipt carries words, not only codes, so it stays readable when the code tables change;
 * it never carries a full account number, a token or a secret (accounts are `••1234`).
 */
import { z } from "zod";

/** The JWS `typ` of a consent receipt: a JWS of any other type is not a receipt. */
export const RECEIPT_TYP = "bankgraph-consent-receipt+jws";

/** Version of the payload's shape; bumped only with a change a verifier must know about. */
export const RECEIPT_VERSION = 1;

/** The lifecycle changes a receipt is issued for (only for consents the person once authorized). */
export const RECEIPT_EVENTS = ["AUTHORIZED", "RENEWED", "REVOKED", "EXPIRED"] as const;
export type ReceiptEvent = (typeof RECEIPT_EVENTS)[number];

const coded = z.object({ code: z.string(), words: z.string() });

/** The receipt payload; the schema is also what a verifier checks a signed payload against. */
export const consentReceiptSchema = z.object({
  version: z.literal(RECEIPT_VERSION),
  receiptId: z.string(),
  issuedAt: z.string(),
  event: z.enum(RECEIPT_EVENTS),
  consentId: z.string(),
  /** The consent's status right after the change. */
  status: z.string(),
  parties: z.object({
    person: z.object({ id: z.string() }),
    app: z.object({ id: z.string(), displayName: z.string(), legalName: z.string().nullable(), role: z.string() }),
    processor: z.object({ name: z.string(), role: z.string() }),
    bank: z.object({ id: z.string(), name: z.string(), role: z.string() }),
  }),
  purpose: coded,
  scopes: z.array(coded.extend({ includes: z.array(z.string()) })),
  accounts: z.array(z.object({ type: z.string(), name: z.string(), masked: z.string() })),
  historyWindow: z.object({ days: z.number().int().nullable(), words: z.string() }),
  useLimits: z.string(),
  grantedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  revokedOn: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revocationReason: z.string().nullable(),
  /** SHA-256 (hex) of the disclosure text the person read before agreeing; null when agreed through the API. */
  disclosureSha256: z.string().nullable(),
});

/** A consent receipt's payload. */
export type ConsentReceipt = z.infer<typeof consentReceiptSchema>;

/** How a receipt writes an account: two dots and the last four digits, never more. */
export const maskedAccount = (lastFour: string) => `••${lastFour.slice(-4)}`;

/**
 * The payload of a receipt this gateway stored itself, without checking the signature (it made
 * it); anything from outside goes through `verifyConsentReceipt` instead.
 */
export function decodeConsentReceipt(jws: string): ConsentReceipt {
  const payload = jws.split(".")[1] ?? "";
  return consentReceiptSchema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
}
