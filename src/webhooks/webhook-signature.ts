/**
 * Verifying a bank's webhook signature: HMAC-SHA256 with the bank's secret over
 * `timestamp + "." + rawBody`, hex-encoded; the timestamp is Unix seconds. Signing the timestamp
 * with the body means an old delivery can't be replayed with a fresh timestamp, and the tolerance
 * window means a captured delivery is useless after five minutes (the event-id ledger covers the
 * five minutes).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** How far a delivery's timestamp may be from the gateway's clock, either way. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** Why a delivery was refused (all answer 401). */
export type SignatureProblem = "MISSING_HEADERS" | "BAD_SIGNATURE" | "TIMESTAMP_OUT_OF_TOLERANCE";

/** What {@link verifyWebhookSignature} needs. */
export interface SignedDelivery {
  secret: string;
  /** The timestamp header as sent. */
  timestamp: string | undefined;
  /** The signature header as sent. */
  signature: string | undefined;
  rawBody: Buffer;
  now: Date;
}

const UNIX_SECONDS = /^\d{1,12}$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** The hex signature of a body at a timestamp (what a bank sends). */
export function webhookSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex");
}

/** Null when the delivery is authentic and fresh, else what is wrong with it. */
export function verifyWebhookSignature(delivery: SignedDelivery): SignatureProblem | null {
  const { timestamp, signature } = delivery;
  if (!timestamp || !signature || !UNIX_SECONDS.test(timestamp) || !HEX_SHA256.test(signature)) return "MISSING_HEADERS";
  const expected = Buffer.from(webhookSignature(delivery.secret, timestamp, delivery.rawBody), "hex");
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex"))) return "BAD_SIGNATURE";
  const skew = Math.abs(delivery.now.getTime() / 1000 - Number(timestamp));
  return skew > WEBHOOK_TOLERANCE_SECONDS ? "TIMESTAMP_OUT_OF_TOLERANCE" : null;
}
