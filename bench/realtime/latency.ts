/**
 * Event-to-subscriber latency on loopback: a mock bank makes a purchase post and sends its signed
 * webhook; the clock runs from the moment the bank starts sending to the moment the graphql-ws
 * subscriber holds the `transactionPosted` payload (signature check, sequence check, routing, ONE
 * transaction with the replay record and the event-log append, hint over pub/sub, log read,
 * consent decision, GraphQL execution, access-log write, WebSocket frame). Events go one at a
 * time, so this is latency, not throughput. Also how fast the webhook is answered (after the commit).
 */
import { latencyStats, startRealtimeBench } from "../support/realtime-bench.js";

/** Options for {@link measureRealtimeLatency}. */
export interface RealtimeLatencyOptions {
  events: number;
  warmup: number;
  /** Hints through this Redis (what N instances do) instead of in-process. */
  redisUrl?: string;
}

export interface RealtimeLatencyResult {
  toSubscriber: ReturnType<typeof latencyStats>;
  webhookAnswered: ReturnType<typeof latencyStats>;
}

const BANK = "chase";
const USER = "latency-bench";

export async function measureRealtimeLatency(options: RealtimeLatencyOptions): Promise<RealtimeLatencyResult> {
  const bench = await startRealtimeBench({
    banks: [BANK],
    users: [{ userId: USER, customer: "alice", institutions: [BANK] }],
    env: options.redisUrl ? { REDIS_URL: options.redisUrl } : {},
  });
  try {
    const client = await bench.clientFor(USER);
    let arrived: ((at: number) => void) | undefined;
    client.subscribe(
      { query: "subscription { transactionPosted { id status amount { amount currency } merchant { name } pendingTransactionId } }" },
      { next: () => arrived?.(performance.now()), error: (error) => console.error(error), complete: () => undefined },
    );
    await bench.followed(1);

    const toSubscriber: number[] = [];
    const webhookAnswered: number[] = [];
    for (let i = 0; i < options.warmup + options.events; i++) {
      const delivered = new Promise<number>((resolve) => (arrived = resolve));
      const started = performance.now();
      const { delivery } = await bench.cluster.events.emit(BANK, { kind: "transaction_posted", amountMinor: 100 + i });
      const answered = performance.now();
      if (delivery.status !== 200) throw new Error(`webhook answered ${delivery.status}`);
      const at = await delivered;
      if (i >= options.warmup) {
        toSubscriber.push(at - started);
        webhookAnswered.push(answered - started);
      }
    }
    return { toSubscriber: latencyStats(toSubscriber), webhookAnswered: latencyStats(webhookAnswered) };
  } finally {
    await bench.close();
  }
}
