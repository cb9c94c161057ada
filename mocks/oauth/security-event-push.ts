/**
 * Push delivery of Security Event Tokens (RFC 8935): POST the SET as `application/secevent+jwt` to
 * the client's registered notification endpoint; 202 means received. A receiver that cannot be
 * reached, or answers 5xx (or 429), is tried again with exponential backoff — the same SET, same
 * `jti`, so a receiver that did process an earlier attempt recognises it. A 4xx with an RFC 8935
 * error (`invalid_key`, `invalid_issuer`, …) is final: sending it again cannot help.
 * Every push is recorded (tests ask the bank what it sent and how it went).
 */
import { SET_MEDIA_TYPE } from "./security-events.js";

/** One push and its outcome. */
export interface SecurityEventDelivery {
  jti: string;
  url: string;
  /** The signed SET as sent (the mock keeps it so a test can replay it). */
  set: string;
  /** Attempts made so far. */
  attempts: number;
  /** The receiver's last HTTP status; 0 when it could not be reached; null while the first attempt runs. */
  status: number | null;
  /** The receiver's RFC 8935 error code (`err`), if it sent one. */
  error: string | null;
  /** True once the receiver answered 202, or a final refusal or the last retry ended the push. */
  done: boolean;
}

/** Options for {@link SecurityEventPusher}. */
export interface SecurityEventPushOptions {
  /** Attempts in all, first included. Default 4. */
  attempts?: number;
  /** Wait before the first retry, in ms; doubled each time. Default 250. */
  firstRetryMs?: number;
  /** Per-attempt timeout, in ms. Default 5000. */
  timeoutMs?: number;
}

export class SecurityEventPusher {
  private readonly log: SecurityEventDelivery[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: SecurityEventPushOptions = {}) {}

  /** Starts delivering in the background; the returned promise settles when the push is done (never rejects). */
  push(url: string, jti: string, set: string): Promise<SecurityEventDelivery> {
    const delivery: SecurityEventDelivery = { jti, url, set, attempts: 0, status: null, error: null, done: false };
    this.log.push(delivery);
    const work = this.deliver(delivery);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /** Resolves once every push started so far is done (delivered, refused, or out of retries). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Pushes so far, oldest first (copies). */
  deliveries(): SecurityEventDelivery[] {
    return this.log.map((d) => ({ ...d }));
  }

  private async deliver(delivery: SecurityEventDelivery): Promise<SecurityEventDelivery> {
    const attempts = this.options.attempts ?? 4;
    let wait = this.options.firstRetryMs ?? 250;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait *= 2;
      }
      delivery.attempts = attempt;
      try {
        const response = await fetch(delivery.url, {
          method: "POST",
          headers: { "content-type": SET_MEDIA_TYPE, accept: "application/json" },
          body: delivery.set,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
        });
        const answer = (await response.json().catch(() => null)) as { err?: unknown } | null;
        delivery.status = response.status;
        delivery.error = typeof answer?.err === "string" ? answer.err : null;
        const retryable = response.status >= 500 || response.status === 429;
        if (!retryable) break;
      } catch {
        delivery.status = 0;
        delivery.error = null;
      }
    }
    delivery.done = true;
    return { ...delivery };
  }
}
