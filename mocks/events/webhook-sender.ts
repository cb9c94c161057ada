/**
 * Delivers a bank's events to its webhook URL: signs each delivery, POSTs it, and retries once
 * (freshly signed) when the receiver cannot be reached or answers anything but 2xx — as banks do,
 * which is why receivers must be idempotent. Remembers each event's body, so a test can ask the
 * bank to deliver the same event again (a replay).
 */
import { signWebhookBody } from "./webhook-signing.js";

/** One delivery attempt's outcome. */
export interface DeliveryResult {
  /** Where it went. */
  url: string;
  /** The receiver's final HTTP status; 0 when it could not be reached. */
  status: number;
  /** 1, or 2 when the first attempt failed. */
  attempts: number;
  /** The receiver's final JSON answer, if it sent one. */
  response: unknown;
}

/** Options for {@link WebhookSender}. */
export interface WebhookSenderOptions {
  secret: string;
  signatureHeader: string;
  timestampHeader: string;
  /** Wait before the one retry, in ms. Default 200. */
  retryDelayMs?: number;
  /** How many sent bodies to remember for redelivery. Default 500. */
  remember?: number;
}

const TIMEOUT_MS = 5_000;

export class WebhookSender {
  private readonly sent = new Map<string, string>();

  constructor(private readonly options: WebhookSenderOptions) {}

  /** Signs and POSTs the body; retries once on failure. */
  async deliver(url: string, eventId: string, body: unknown): Promise<DeliveryResult> {
    const text = JSON.stringify(body);
    this.remember(eventId, text);
    return this.post(url, text);
  }

  /** Delivers an already sent event again, same body, fresh signature; undefined if unknown. */
  async redeliver(url: string, eventId: string): Promise<DeliveryResult | undefined> {
    const text = this.sent.get(eventId);
    return text === undefined ? undefined : this.post(url, text);
  }

  private async post(url: string, text: string): Promise<DeliveryResult> {
    let last: DeliveryResult = { url, status: 0, attempts: 0, response: null };
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (attempt === 2) await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 200));
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            [this.options.timestampHeader]: timestamp,
            [this.options.signatureHeader]: signWebhookBody(this.options.secret, timestamp, text),
          },
          body: text,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const answer = await response.json().catch(() => null);
        last = { url, status: response.status, attempts: attempt, response: answer };
        if (response.ok) return last;
      } catch {
        last = { url, status: 0, attempts: attempt, response: null };
      }
    }
    return last;
  }

  private remember(eventId: string, text: string): void {
    this.sent.set(eventId, text);
    const limit = this.options.remember ?? 500;
    if (this.sent.size > limit) this.sent.delete(this.sent.keys().next().value!);
  }
}
