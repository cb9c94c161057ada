/**
 * How Bankgraph signs the webhooks it sends to apps, Stripe-style, so an app can tell they are
 * Bankgraph's and fresh: header `Bankgraph-Signature: t=<unix seconds>,v1=<hex>` where the hex is
 * HMAC-SHA256, keyed with the app's registered webhook key, over `<t>.<raw body>`. Signing the
 * timestamp with the body lets the app refuse replays older than its tolerance. docs/apps.md shows
 * the check an app makes; {@link verifyWebhookSignature} is that check.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** The header carrying the signature. */
export const SIGNATURE_HEADER = "Bankgraph-Signature";

/** The header value for `body` signed with `key` at `unixSeconds`. */
export function signWebhook(key: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmac(key, unixSeconds, body)}`;
}

/**
 * True when `header` is a valid signature of `body` under `key` made within `toleranceSeconds`
 * (default 300) of `nowSeconds`. Several `v1=` entries are accepted (one may be under a new key).
 */
export function verifyWebhookSignature(
  header: string | null | undefined,
  body: string,
  key: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  if (!header) return false;
  const parts = header.split(",").map((p) => p.trim().split("=", 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(key, t, body), "hex");
  return parts.some(([k, v]) => k === "v1" && v !== undefined && /^[0-9a-f]{64}$/.test(v) && timingSafeEqual(Buffer.from(v, "hex"), expected));
}

function hmac(key: string, unixSeconds: number, body: string): string {
  return createHmac("sha256", key).update(`${unixSeconds}.${body}`).digest("hex");
}
