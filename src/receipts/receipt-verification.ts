/**
 * Checking a consent receipt offline: its signature against a published key set (the gateway's
 * /.well-known/jwks.json, or a saved copy), its type, and its payload's shape. Every refusal names
 * its reason in words a person can act on — what `bankgraph verify-receipt` prints.
 */
import { errors, type JSONWebKeySet } from "jose";
import { verifyGatewayJws } from "../signing/gateway-signer.js";
import { consentReceiptSchema, RECEIPT_TYP, type ConsentReceipt } from "./consent-receipt.js";

/** Why a receipt did not verify. */
export type ReceiptRefusal = "MALFORMED" | "UNKNOWN_KEY" | "BAD_SIGNATURE" | "NOT_A_RECEIPT";

/** A receipt that did not verify, with the reason as a code and in words. */
export class ReceiptNotVerified extends Error {
  constructor(
    readonly reason: ReceiptRefusal,
    message: string,
  ) {
    super(message);
    this.name = "ReceiptNotVerified";
  }
}

/** A verified receipt: what it says, and the key that signed it. */
export interface VerifiedReceipt {
  receipt: ConsentReceipt;
  kid: string;
}

/** Verifies a compact-JWS receipt against `keys`; throws {@link ReceiptNotVerified} with the reason. */
export async function verifyConsentReceipt(jws: string, keys: JSONWebKeySet): Promise<VerifiedReceipt> {
  let verified: Awaited<ReturnType<typeof verifyGatewayJws<unknown>>>;
  try {
    verified = await verifyGatewayJws<unknown>(jws.trim(), keys);
  } catch (error) {
    throw refusalOf(error);
  }
  if (verified.header.typ !== RECEIPT_TYP) {
    throw new ReceiptNotVerified("NOT_A_RECEIPT", `not a consent receipt: its type is ${verified.header.typ ?? "missing"}, not ${RECEIPT_TYP}`);
  }
  const parsed = consentReceiptSchema.safeParse(verified.payload);
  if (!parsed.success) throw new ReceiptNotVerified("NOT_A_RECEIPT", "not a consent receipt: the signed content does not have a receipt's fields");
  return { receipt: parsed.data, kid: verified.header.kid ?? "" };
}

function refusalOf(error: unknown): ReceiptNotVerified {
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new ReceiptNotVerified("UNKNOWN_KEY", "unknown key: no key in the key set has this receipt's key id (kid); is it the right gateway's key set?");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new ReceiptNotVerified("BAD_SIGNATURE", "bad signature: the receipt was changed after it was signed, or was not signed by this key");
  }
  if (error instanceof SyntaxError) return new ReceiptNotVerified("NOT_A_RECEIPT", "not a consent receipt: the signed content is not JSON");
  const detail = error instanceof Error ? error.message : String(error);
  return new ReceiptNotVerified("MALFORMED", `not a signed receipt: ${detail}`);
}
