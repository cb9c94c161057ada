/**
 * The demo's heartbeat (`npm start` with in-process mocks): every interval, one of the banks makes
 * something happen to a customer — a purchase, its posting, a balance change, a shipment moving
 * on, now and then a fraud alert — and sends the webhook, so subscriptions show live data.
 */
import type { ClusterEvents } from "./cluster-events.js";
import type { MockEventRequest } from "./make-event.js";

/** Options for {@link startDemoEvents}. */
export interface DemoEventsOptions {
  /** Time between events in ms. */
  intervalMs: number;
  /** Bank IDs to pick from. */
  banks: string[];
  /** Banks that issue receipts (shipment updates). */
  receiptBanks: string[];
  /** Default "alice". */
  customer?: string;
  /** Told about each event (or failure), e.g. to log it. */
  onEvent?: (bankId: string, kind: string, outcome: number | Error) => void;
}

/** Starts the timer; returns a function that stops it. */
export function startDemoEvents(events: ClusterEvents, options: DemoEventsOptions): () => void {
  const customer = options.customer ?? "alice";
  const pendingByBank = new Map<string, string>();
  let tick = 0;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

  const next = (): { bankId: string; request: MockEventRequest } => {
    const bankId = pick(options.banks);
    const pending = pendingByBank.get(bankId);
    tick++;
    // A purchase is followed by its posting at the same bank, so the pending → posted link shows.
    if (pending) return { bankId, request: { kind: "transaction_posted", customer, transactionId: pending } };
    if (tick % 7 === 0) return { bankId, request: { kind: "fraud_alert", customer } };
    if (tick % 3 === 0 && options.receiptBanks.length > 0) return { bankId: pick(options.receiptBanks), request: { kind: "shipment_updated", customer } };
    return { bankId, request: { kind: tick % 2 === 0 ? "balance_changed" : "transaction_pending", customer } };
  };

  const timer = setInterval(() => {
    const { bankId, request } = next();
    events.emit(bankId, request).then(
      ({ event, delivery }) => {
        if (event.kind === "transaction_pending" && event.transactionId) pendingByBank.set(bankId, event.transactionId);
        if (event.kind === "transaction_posted") pendingByBank.delete(bankId);
        options.onEvent?.(bankId, event.kind, delivery.status);
      },
      (error: Error) => {
        pendingByBank.delete(bankId);
        options.onEvent?.(bankId, request.kind, error);
      },
    );
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
