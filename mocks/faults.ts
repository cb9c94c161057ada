/**
 * Fault injection for one mock bank. "down" is handled by the cluster (it stops listening, so
 * callers get connection refused); everything else is this middleware.
 */
import type { RequestHandler } from "express";

export interface Faults {
  /** Added latency in ms on every call. */
  latencyMs: number;
  /** Probability (0..1) that a call answers 503. */
  errorRate: number;
  /** The next N calls answer 503, whatever errorRate says. */
  failNext: number;
  /** Connection refused: the bank stops listening. */
  down: boolean;
  /** Calls are accepted and never answered. */
  hang: boolean;
  /** Calls answer 429 with this Retry-After (seconds); null = off. */
  rateLimitRetryAfter: number | null;
  /** Calls answer 200 with a body that is not valid JSON. */
  malformed: boolean;
  /**
   * Payments (mocks/payments/): the next N payment submissions are accepted and recorded, and then
   * never answered — the caller times out not knowing the bank took the payment.
   */
  paymentTimeoutsAfterAccept: number;
  /** Payments: how the status webhooks go out — in order, each twice, or the PENDING one late (after SETTLED / FAILED). */
  paymentStatusWebhooks: "in_order" | "duplicated" | "out_of_order";
  /** Payments accepted from now on end SETTLED, FAILED, or SETTLED and then RETURNED. */
  paymentOutcome: "settle" | "fail" | "return";
  /** Not a fault, the pace: real milliseconds between a payment's status steps (submitted → pending → settled …). */
  paymentStepMs: number;
}

export const NO_FAULTS: Faults = {
  latencyMs: 0,
  errorRate: 0,
  failNext: 0,
  down: false,
  hang: false,
  rateLimitRetryAfter: null,
  malformed: false,
  paymentTimeoutsAfterAccept: 0,
  paymentStatusWebhooks: "in_order",
  paymentOutcome: "settle",
  paymentStepMs: 2_000,
};

export function faultMiddleware(faults: () => Faults, consumeFailNext: () => void): RequestHandler {
  return (req, res, next) => {
    const f = faults();
    if (f.hang) return; // keep the socket open; the cluster destroys it on close
    const act = () => {
      if (f.failNext > 0) {
        consumeFailNext();
        res.status(503).json({ error: "service_unavailable" });
      } else if (f.rateLimitRetryAfter !== null) {
        res.status(429).set("Retry-After", String(f.rateLimitRetryAfter)).json({ error: "too_many_requests" });
      } else if (f.errorRate > 0 && Math.random() < f.errorRate) {
        res.status(503).json({ error: "service_unavailable" });
      } else if (f.malformed) {
        res.status(200).type("application/json").send('{"data": [{"id": "x", "amount": 12.5, <html>');
      } else {
        next();
      }
    };
    if (f.latencyMs > 0) setTimeout(act, f.latencyMs);
    else act();
  };
}
