/**
 * Sustained webhook intake with many live subscribers on one gateway: `people` persons (each
 * linked as the same mock-bank customer, so every event concerns all of them and is logged once
 * per person) hold one socket with `subs` `transactionPosted` subscriptions each. Each of `banks`
 * mock banks posts purchases and sends their webhooks back to back — a bank delivers in the order
 * of its own sequence, one at a time, so concurrency is one delivery in flight per bank. Reports
 * events accepted per second, deliveries per second (each event → people × subs subscribers) and
 * the memory every sample, to show it stays flat.
 *
 * Memory is the whole bench process (gateway, mock banks and clients share it), sampled after a
 * forced full collection: `start` after `warmupSeconds` of load (caches, JIT and pools filled),
 * `end` after the banks stopped and the deliveries they were owed drained (or `drainSeconds`
 * passed). Growth = end − start. gc() is exposed here at run time when node was not started with
 * --expose-gc, so `npm run bench` gives a verdict too.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { startRealtimeBench } from "../support/realtime-bench.js";

/** Options for {@link measureRealtimeIntake}. */
export interface RealtimeIntakeOptions {
  seconds: number;
  people: number;
  subs: number;
  /** Banks sending at once (1–6). */
  banks: number;
  sampleSeconds: number;
  /** Load before the start sample, so caches, pools and the followers' read buffers are full (default 10 s, or 1/10 of the run if shorter). */
  warmupSeconds?: number;
  /** Longest wait for owed deliveries after the banks stop, before the end sample (default 60 s). */
  drainSeconds?: number;
}

/** Memory after a forced full collection. */
export interface SettledMemory {
  heapMb: number;
  rssMb: number;
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
  /** Seconds the banks were sending (from the start sample). */
  seconds: number;
  /** Events accepted (answered 2xx) while the banks were sending. */
  accepted: number;
  /** Deliveries (one event to one subscription) while the banks were sending. */
  delivered: number;
  /** Deliveries owed for the accepted events (accepted × subscribers) and how many arrived by the end sample. */
  owed: number;
  deliveredAtEnd: number;
  /** Seconds waited after the banks stopped for owed deliveries. */
  drainedSeconds: number;
  samples: IntakeSample[];
  /** After warm-up, and after the banks stopped and deliveries drained; both after a full collection. */
  start: SettledMemory;
  end: SettledMemory;
  /** Whether a full collection ran before each sample (always, unless gc could not be exposed). */
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

    const gc = exposeGc();
    const memory = (): SettledMemory => {
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
    const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    await sleep(options.warmupSeconds ?? Math.min(10, options.seconds / 10));
    const start = memory();
    const started = performance.now();
    const base = { accepted, delivered };
    const samples: IntakeSample[] = [{ atSeconds: 0, eventsPerSecond: 0, deliveriesPerSecond: 0, ...start }];
    let last = { at: started, accepted, delivered };
    while (performance.now() - started < options.seconds * 1000) {
      await sleep(options.sampleSeconds);
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
    const seconds = (performance.now() - started) / 1000;
    const result = { accepted: accepted - base.accepted, delivered: delivered - base.delivered };
    // What every subscriber is owed for every event accepted since the first subscriber was live.
    const owed = accepted * options.people * options.subs;
    const drainStarted = performance.now();
    const drainLimit = (options.drainSeconds ?? 60) * 1000;
    while (delivered < owed && performance.now() - drainStarted < drainLimit) await sleep(0.25);
    const drainedSeconds = (performance.now() - drainStarted) / 1000;
    return { seconds, ...result, owed, deliveredAtEnd: delivered, drainedSeconds, samples, start, end: memory(), gcForced: gc !== undefined };
  } finally {
    await bench.close();
  }
}

/** global.gc, exposed now if node was started without --expose-gc; undefined if that fails. */
function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return undefined;
  }
}
