/**
 * Sustained webhook intake with many live subscribers on one gateway: `people` persons (each
 * linked as the same mock-bank customer, so every event concerns all of them and is logged once
 * per person) hold one socket with `subs` `transactionPosted` subscriptions each. Each of `banks`
 * mock banks posts purchases and sends their webhooks back to back — a bank delivers in the order
 * of its own sequence, one at a time, so concurrency is one delivery in flight per bank. Reports
 * events accepted per second, deliveries per second (each event → people × subs subscribers) and
 * the gateway's memory every sample, to show it stays flat.
 */
import { startRealtimeBench } from "../support/realtime-bench.js";

/** Options for {@link measureRealtimeIntake}. */
export interface RealtimeIntakeOptions {
  seconds: number;
  people: number;
  subs: number;
  /** Banks sending at once (1–6). */
  banks: number;
  sampleSeconds: number;
}

/** One memory/throughput sample. */
export interface IntakeSample {
  atSeconds: number;
  eventsPerSecond: number;
  deliveriesPerSecond: number;
  heapMb: number;
  rssMb: number;
}

export interface RealtimeIntakeResult {
  seconds: number;
  accepted: number;
  delivered: number;
  samples: IntakeSample[];
  /** Whether gc() was exposed (node --expose-gc), so heap samples are after a collection. */
  gcForced: boolean;
}

const ALL_BANKS = ["chase", "wells_fargo", "citi", "us_bank", "paypal", "amex"];

export async function measureRealtimeIntake(options: RealtimeIntakeOptions): Promise<RealtimeIntakeResult> {
  const banks = ALL_BANKS.slice(0, Math.max(1, Math.min(ALL_BANKS.length, options.banks)));
  const users = Array.from({ length: options.people }, (_, i) => ({ userId: `intake-${i}`, customer: "alice", institutions: banks }));
  const bench = await startRealtimeBench({
    banks,
    users,
    env: { WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(options.subs), RATE_LIMIT_PER_USER: "0", RATE_LIMIT_PER_CLIENT: "0" },
  });
  try {
    let delivered = 0;
    for (const { userId } of users) {
      const client = await bench.clientFor(userId);
      for (let s = 0; s < options.subs; s++) {
        client.subscribe(
          { query: "subscription { transactionPosted { id amount { amount currency } } }" },
          { next: () => void delivered++, error: (error) => console.error(error), complete: () => undefined },
        );
      }
    }
    await bench.followed(options.people);

    const gc = (globalThis as { gc?: () => void }).gc;
    const memory = () => {
      gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      return { rssMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20 };
    };
    let accepted = 0;
    let stop = false;
    const senders = banks.map(async (bank) => {
      while (!stop) {
        const { delivery } = await bench.cluster.events.emit(bank, { kind: "transaction_posted", amountMinor: 100 + (accepted % 1000) }, "settled");
        if (delivery.outcome === "delivered") accepted++;
      }
    });
    const started = performance.now();
    const samples: IntakeSample[] = [{ atSeconds: 0, eventsPerSecond: 0, deliveriesPerSecond: 0, ...memory() }];
    let last = { at: started, accepted: 0, delivered: 0 };
    while (performance.now() - started < options.seconds * 1000) {
      await new Promise((resolve) => setTimeout(resolve, options.sampleSeconds * 1000));
      const now = performance.now();
      const seconds = (now - last.at) / 1000;
      samples.push({
        atSeconds: Math.round((now - started) / 1000),
        eventsPerSecond: (accepted - last.accepted) / seconds,
        deliveriesPerSecond: (delivered - last.delivered) / seconds,
        ...memory(),
      });
      last = { at: now, accepted, delivered };
    }
    stop = true;
    await Promise.all(senders);
    return { seconds: (performance.now() - started) / 1000, accepted, delivered, samples, gcForced: gc !== undefined };
  } finally {
    await bench.close();
  }
}
