/**
 * Delivers one bank's webhooks to the receiver, one at a time and in the order of the bank's
 * sequence: each delivery is signed afresh for every attempt and POSTed; a failure (no answer,
 * a timeout, 408, 429 or 5xx) is retried with exponential backoff and jitter (webhook-retry.ts)
 * until the retry window since the event has passed, and later events wait behind it so the
 * receiver never sees them out of order. A 4xx other than 408/429 is the receiver refusing this
 * delivery (bad signature, unknown bank): sending the same bytes again cannot help, so it is final.
 * An event whose window ran out is abandoned — the receiver recovers it from the bank's "events
 * since" endpoint (event-feed-route.ts). Receivers must therefore be idempotent.
 */
import { signWebhookBody } from "./webhook-signing.js";
import { retryDelay, type WebhookRetryPolicy } from "./webhook-retry.js";

/** What became of a delivery (as far as the caller waited). */
export type DeliveryOutcome =
  /** The receiver answered 2xx. */
  | "delivered"
  /** The receiver answered a final 4xx; not retried. */
  | "refused"
  /** The first attempt failed; the bank keeps retrying in the background. */
  | "retrying"
  /** Earlier events are still being retried; this one waits behind them. */
  | "queued"
  /** The retry window passed without a 2xx; the bank gave up on it. */
  | "abandoned";

/** One delivery's outcome. */
export interface DeliveryResult {
  /** Where it went last (empty when it was never attempted). */
  url: string;
  /** The receiver's last HTTP status; 0 when it could not be reached or nothing was attempted. */
  status: number;
  /** Attempts made so far. */
  attempts: number;
  /** The receiver's last JSON answer, if it sent one. */
  response: unknown;
  outcome: DeliveryOutcome;
}

/** Options for {@link WebhookSender}. */
export interface WebhookSenderOptions {
  secret: string;
  signatureHeader: string;
  timestampHeader: string;
  retry: WebhookRetryPolicy;
  /** Where deliveries go, read at every attempt (the target may move while the bank retries); undefined = nowhere (the attempt fails). */
  url: () => string | undefined;
  /** Default Math.random; tests may fix the jitter. */
  random?: () => number;
}

/** Counts, for tests and tools (the admin endpoint shows them). */
export interface SenderStats {
  delivered: number;
  refused: number;
  /** IDs of the events the bank gave up on, oldest first. */
  abandoned: string[];
  /** Events not yet settled (the one being tried included). */
  waiting: number;
}

interface Pending {
  eventId: string;
  text: string;
  since: number;
  attempts: number;
  last: DeliveryResult;
  /** Resolves after the first attempt (or at once when queued behind others). */
  first: (result: DeliveryResult) => void;
  /** Resolves when settled: delivered, refused or abandoned. */
  settled: (result: DeliveryResult) => void;
}

const TIMEOUT_MS = 5_000;

export class WebhookSender {
  private readonly queue: Pending[] = [];
  private readonly idleWaiters: Array<() => void> = [];
  private running: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private closed = false;
  readonly stats: SenderStats = { delivered: 0, refused: 0, abandoned: [], waiting: 0 };

  constructor(private readonly options: WebhookSenderOptions) {}

  /**
   * Queues the delivery. `firstAnswer` resolves with the first attempt's result (outcome
   * "delivered", "refused" or "retrying"), or at once with "queued" when earlier events are still
   * waiting; `settled` when the bank is done with it.
   */
  send(eventId: string, text: string): { firstAnswer: Promise<DeliveryResult>; settled: Promise<DeliveryResult> } {
    let first!: (result: DeliveryResult) => void;
    let settled!: (result: DeliveryResult) => void;
    const firstAnswer = new Promise<DeliveryResult>((resolve) => (first = resolve));
    const done = new Promise<DeliveryResult>((resolve) => (settled = resolve));
    const pending: Pending = {
      eventId,
      text,
      since: Date.now(),
      attempts: 0,
      last: { url: "", status: 0, attempts: 0, response: null, outcome: "queued" },
      first,
      settled,
    };
    if (this.queue.length > 0) first(pending.last);
    this.queue.push(pending);
    this.stats.waiting = this.queue.length;
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return { firstAnswer, settled: done };
  }

  /** Sends a body again now, once, outside the queue (a replay, as a bank's "resend" button does). */
  async resend(text: string): Promise<DeliveryResult> {
    return { ...(await this.attempt(text)), attempts: 1 };
  }

  /** Resolves when nothing is waiting (every event delivered, refused or abandoned). */
  idle(): Promise<void> {
    return this.queue.length === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops retrying: whatever waits is abandoned. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const outcome = this.closed ? null : await this.attempt(head.text);
      if (outcome) {
        head.attempts++;
        head.last = { ...outcome, attempts: head.attempts };
      }
      const expired = this.closed || Date.now() - head.since >= this.options.retry.windowMs;
      const final = head.last.outcome === "delivered" || head.last.outcome === "refused" || expired;
      if (!final) {
        if (head.attempts === 1) head.first(head.last);
        await this.sleep(Math.min(retryDelay(this.options.retry, head.attempts, this.options.random), this.remainingWindow(head)));
        continue;
      }
      if (head.last.outcome === "retrying" || head.last.outcome === "queued") {
        head.last = { ...head.last, outcome: "abandoned" };
        this.stats.abandoned.push(head.eventId);
      } else if (head.last.outcome === "delivered") this.stats.delivered++;
      else this.stats.refused++;
      this.queue.shift();
      this.stats.waiting = this.queue.length;
      head.first(head.last);
      head.settled(head.last);
    }
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  private remainingWindow(head: Pending): number {
    return Math.max(0, head.since + this.options.retry.windowMs - Date.now());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** One signed POST; outcome "retrying" when it failed in a way a later attempt may fix. */
  private async attempt(text: string): Promise<DeliveryResult> {
    const url = this.options.url();
    if (!url) return { url: "", status: 0, attempts: 1, response: null, outcome: "retrying" };
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
      const answer: unknown = await response.json().catch(() => null);
      return { url, status: response.status, attempts: 1, response: answer, outcome: outcomeOf(response.status) };
    } catch {
      return { url, status: 0, attempts: 1, response: null, outcome: "retrying" };
    }
  }
}

/** 2xx delivered; 408, 429 and 5xx worth another try; any other answer a final refusal. */
function outcomeOf(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return "delivered";
  if (status === 408 || status === 429 || status >= 500) return "retrying";
  return "refused";
}
