/**
 * How every mock bank signs a webhook delivery: HMAC-SHA256 with the bank's secret over
 * `timestamp + "." + body`, hex-encoded, with the timestamp in Unix seconds. Only the header names
 * differ per bank (each bank's `events.ts` and the `webhooks:` section of its openapi.yaml).
 */
import { createHmac } from "node:crypto";

/**
 * The secret a mock bank signs with unless told otherwise. The gateway's dev default
 * (src/webhooks/webhook-secrets.ts) is the same formula, so `npm start` works with no config.
 */
export function defaultMockWebhookSecret(bankId: string): string {
  return `bankgraph-dev-webhook-secret:${bankId}`;
}

/** The hex signature of `body` at `timestamp` (Unix seconds, as a string). */
export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/**
 * What an "events since" request is signed over (event-feed-route.ts): the method and the
 * request target exactly as sent, e.g. `GET /v2/webhook-events?after_sequence=41`, in place of
 * a body. The feed lists every customer's events, so it is the bank-to-platform channel the
 * webhook secret already protects, not a customer's API (no customer token could read it all).
 */
export function feedRequestText(target: string): string {
  return `GET ${target}`;
}
