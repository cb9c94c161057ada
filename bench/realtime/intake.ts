/**
 * Sustained webhook intake with many live subscribers on one gateway: `people` persons (each
 * linked as the same mock-bank customer, so every event concerns all of them and is logged once
 * per person) hold one socket with `subs` `transactionPosted` subscriptions each. Each of `banks`
 * mock banks posts purchases and sends their webhooks — a bank delivers in the order of its own
 * sequence, one at a time, so at most one delivery per bank is in flight.
 *
 * A memory verdict needs intake that delivery keeps up with: fed faster than it delivers, the
 * gateway holds a growing backlog (read buffers, frames) and the end sample cannot tell it from a
 * leak. So the run has phases, in one process, one after the other:
 * 1. live: one event, until every subscriber has it;
 * 2. calibration: the banks send as fast as delivery allows (a bank waits while more than
 *    {@link BACKLOG_WINDOW_EVENTS} events per bank are owed to subscribers): deliveries per
 *    second ÷ subscribers is what one instance delivers, in events per second;
 * 3. warm-up, then the soak: the banks send at `paceFraction` of that rate, on a fixed schedule
 *    (never faster; a bank whose delivery took longer than its interval sends at once, without
 *    catching up). Samples report intake, deliveries and the backlog (deliveries owed, not made).
 *
 * Memory is this process — the gateway and the graphql-ws clients; the banks run in a child
 * (bench/realtime/intake-banks.ts) — sampled after a forced full collection. `start` and `end` are
 * both taken with the banks stopped and every owed delivery made (waited for as an event:
 * delivered = accepted × subscribers, not for a time), so they compare the same state: after
 * warm-up and after the soak. gc() is exposed at run time when node was not started with
 * --expose-gc. With `heapSnapshotDir`, a heap snapshot is written at both.
 */
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { setFlagsFromString, writeHeapSnapshot } from "node:v8";
import { runInNewContext } from "node:vm";
import { cpuProfiler, spawnChild, type ChildHandle, type ProcessUsage } from "../support/child-process.js";
import { startRealtimeGateway } from "../support/realtime-bench.js";
import type { IntakeBanksStart, IntakeEmit } from "./intake-banks.js";

/** Options for {@link measureRealtimeIntake}. */
export interface RealtimeIntakeOptions {
  /** Length of the paced soak. */
  seconds: number;
  people: number;
  subs: number;
  /** Banks sending at once (1–6). */
  banks: number;
  sampleSeconds: number;
  /** Paced load before the start sample, so caches, pools and JIT are warm (default 30 s, or 1/10 of the run if shorter). */
  warmupSeconds?: number;
  /** Length of the calibration (default 30 s, or 1/5 of the run if shorter). */
  calibrateSeconds?: number;
  /** The soak's intake as a share of the calibrated delivery capacity (default 0.7). */
  paceFraction?: number;
  /** Longest wait for owed deliveries before a sample is taken anyway, flagged (default 180 s). */
  drainLimitSeconds?: number;
  /** Writes start.heapsnapshot and end.heapsnapshot here. */
  heapSnapshotDir?: string;
  /** Writes a V8 CPU profile of this process (gateway and clients) over the soak here (.cpuprofile). */
  cpuProfilePath?: string;
}

/** Memory after a forced full collection. */
export interface SettledMemory {
  heapMb: number;
  rssMb: number;
  /** Memory outside the JS heap that V8 knows of (buffers, the store's WASM memory). */
  externalMb: number;
}

/** One sample of the soak, memory after a full collection (the banks still sending). */
export interface IntakeSample {
  atSeconds: number;
  eventsPerSecond: number;
  deliveriesPerSecond: number;
  /** Deliveries owed for the events accepted so far, not made yet. */
  backlog: number;
  heapMb: number;
  rssMb: number;
}

/** A phase's throughput. */
export interface IntakeRate {
  seconds: number;
  accepted: number;
  delivered: number;
  eventsPerSecond: number;
  deliveriesPerSecond: number;
  /** CPU time of this process (gateway and clients) over the phase, ms. */
  cpuMs: number;
}

/** A quiet point (banks stopped): how long the backlog took to drain, and memory after it. */
export interface QuietPoint {
  /** Deliveries owed when the banks stopped. */
  backlog: number;
  drainedSeconds: number;
  /** Whether every owed delivery was made (false: the drain limit passed first). */
  drained: boolean;
  memory: SettledMemory;
}

export interface RealtimeIntakeResult {
  calibration: IntakeRate & {
    /** Events per second delivered to every subscriber: deliveries/s ÷ subscribers. */
    capacityEventsPerSecond: number;
  };
  /** The soak's schedule, events per second over all banks. */
  pacedEventsPerSecond: number;
  /** The soak itself (from the start sample to the banks stopping). */
  soak: IntakeRate;
  samples: IntakeSample[];
  /** Largest backlog seen at a sample. */
  maxBacklog: number;
  start: QuietPoint;
  end: QuietPoint;
  /** Every event accepted in the run (probe, calibration and warm-up included), and every delivery made for them. */
  acceptedInAll: number;
  deliveredInAll: number;
  /** The banks' child process at start and end, for information. */
  banksProcess: { start: ProcessUsage; end: ProcessUsage };
  /** Whether a full collection ran before each sample (always, unless gc could not be exposed). */
  gcForced: boolean;
  heapSnapshots?: string[];
}

const ALL_BANKS = ["chase", "wells_fargo", "citi", "us_bank", "paypal", "amex"];
/** Calibration: a bank waits while more than this many events per sending bank are owed to subscribers. */
const BACKLOG_WINDOW_EVENTS = 2;

export async function measureRealtimeIntake(options: RealtimeIntakeOptions): Promise<RealtimeIntakeResult> {
  const banks = ALL_BANKS.slice(0, Math.max(1, Math.min(ALL_BANKS.length, options.banks)));
  const subscribers = options.people * options.subs;
  const users = Array.from({ length: options.people }, (_, i) => ({ userId: `intake-${i}`, customer: "alice", institutions: banks }));
  const bankProcess = await spawnChild<{ urls: Record<string, string> }>(new URL("./intake-banks.ts", import.meta.url), { banks } satisfies IntakeBanksStart, {
    nodeFlags: ["--expose-gc"],
  });
  const gateway = await startRealtimeGateway({
    bankUrls: bankProcess.ready.urls,
    users,
    env: { WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(options.subs), RATE_LIMIT_PER_USER: "0", RATE_LIMIT_PER_CLIENT: "0" },
  }).catch(async (error: unknown) => {
    await bankProcess.stop();
    throw error;
  });
  try {
    await bankProcess.call("target", gateway.webhookUrl);
    const deliveries = new DeliveryCounter();
    for (const { userId } of users) {
      const client = await gateway.clientFor(userId);
      for (let s = 0; s < options.subs; s++) {
        client.subscribe(
          { query: "subscription { transactionPosted { id amount { amount currency } } }" },
          { next: () => deliveries.count(), error: (error) => console.error(error), complete: () => undefined },
        );
      }
    }
    await gateway.followed(options.people);
    const intake = new Intake(bankProcess, banks, subscribers, deliveries);
    const drainLimitMs = (options.drainLimitSeconds ?? 180) * 1000;

    // 1. Live: a subscription is followed once its person's first one is; one event proves them all.
    await intake.emit(banks[0]!);
    if (!(await deliveries.reached(subscribers, drainLimitMs)))
      throw new Error(`not every subscriber was live: ${deliveries.delivered} of ${subscribers} had the first event`);

    // 2. Calibration: as fast as delivery allows, the backlog bounded.
    const calibrateSeconds = options.calibrateSeconds ?? Math.min(30, options.seconds / 5);
    // It lasts until one event has reached every subscriber, however long that takes past
    // `calibrateSeconds`: a short calibration on a loaded machine can otherwise end before any delivery.
    const calibration = await intake.run(calibrateSeconds, { kind: "closed", windowEvents: BACKLOG_WINDOW_EVENTS * banks.length }, undefined, {
      atLeastDelivered: subscribers,
      limitMs: drainLimitMs,
    });
    const capacityEventsPerSecond = calibration.deliveriesPerSecond / subscribers;
    if (capacityEventsPerSecond <= 0) throw new Error("calibration delivered nothing: no rate to pace the soak at");
    await intake.quiet(drainLimitMs);

    // 3. Warm-up and soak at a fixed share of it.
    const pacedEventsPerSecond = (options.paceFraction ?? 0.7) * capacityEventsPerSecond;
    const paced = { kind: "paced", eventsPerSecond: pacedEventsPerSecond } as const;
    await intake.run(options.warmupSeconds ?? Math.min(30, options.seconds / 10), paced);

    const gc = exposeGc();
    const memory = (): SettledMemory => {
      gc?.();
      const { rss, heapUsed, external } = process.memoryUsage();
      return { rssMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20, externalMb: external / 2 ** 20 };
    };
    const snapshots: string[] = [];
    const quietPoint = async (name: string): Promise<QuietPoint> => {
      const drain = await intake.quiet(drainLimitMs);
      const point = { ...drain, memory: memory() };
      if (options.heapSnapshotDir) snapshots.push(writeHeapSnapshot(join(options.heapSnapshotDir, `${name}.heapsnapshot`)));
      return point;
    };
    const banksStart = await bankProcess.call<ProcessUsage>("usage");
    const start = await quietPoint("start");

    const samples: IntakeSample[] = [
      { atSeconds: 0, eventsPerSecond: 0, deliveriesPerSecond: 0, backlog: intake.backlog, heapMb: start.memory.heapMb, rssMb: start.memory.rssMb },
    ];
    const profiler = options.cpuProfilePath ? cpuProfiler() : undefined;
    await profiler?.start();
    const allocations = process.env.INTAKE_ALLOCATION_PROFILE ? new Session() : undefined;
    if (allocations) {
      allocations.connect();
      await allocations.post("HeapProfiler.startSampling", {
        samplingInterval: 16384,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    }
    const soak = await intake.run(options.seconds, paced, {
      everySeconds: options.sampleSeconds,
      sample: (atSeconds, rate) => samples.push({ atSeconds, ...rate, backlog: intake.backlog, ...memory() }),
    });
    await profiler?.stop(options.cpuProfilePath!);
    if (allocations) {
      const { profile } = await allocations.post("HeapProfiler.stopSampling");
      await writeFile(process.env.INTAKE_ALLOCATION_PROFILE!, JSON.stringify(profile));
    }
    const end = await quietPoint("end");
    const banksEnd = await bankProcess.call<ProcessUsage>("usage");
    return {
      calibration: { ...calibration, capacityEventsPerSecond },
      pacedEventsPerSecond,
      soak,
      samples,
      maxBacklog: Math.max(...samples.map((s) => s.backlog)),
      start,
      end,
      acceptedInAll: intake.accepted,
      deliveredInAll: deliveries.delivered,
      banksProcess: { start: banksStart, end: banksEnd },
      gcForced: gc !== undefined,
      ...(snapshots.length > 0 && { heapSnapshots: snapshots }),
    };
  } finally {
    await gateway.close();
    await bankProcess.stop();
  }
}

/** How the banks send: as fast as a bounded backlog allows, or on a fixed schedule. */
type Sending = { kind: "closed"; windowEvents: number } | { kind: "paced"; eventsPerSecond: number };

/** Samples taken while sending: `sample` every `everySeconds` with the rates since the last one. */
interface Sampling {
  everySeconds: number;
  sample(atSeconds: number, rate: { eventsPerSecond: number; deliveriesPerSecond: number }): void;
}

/** The banks' webhooks, sent through the child, and what the subscribers are owed for them. */
class Intake {
  accepted = 0;
  /** The backlog at the moment the last phase stopped sending (its webhooks in flight not yet answered). */
  private backlogAtStop = 0;

  constructor(
    private readonly banksProcess: ChildHandle,
    private readonly banks: readonly string[],
    private readonly subscribers: number,
    private readonly deliveries: DeliveryCounter,
  ) {}

  /** Deliveries owed for the events accepted so far, not made yet. */
  get backlog(): number {
    return this.accepted * this.subscribers - this.deliveries.delivered;
  }

  async emit(bank: string): Promise<void> {
    const outcome = await this.banksProcess.call<string>("emit", { bank, amountMinor: 100 + (this.accepted % 1000) } satisfies IntakeEmit);
    if (outcome === "delivered") this.accepted++;
  }

  /**
   * Every bank sends as `sending` says for `seconds` — and, with `atLeast`, on until this phase has
   * made that many deliveries (or `limitMs` passed) — and answers the phase's throughput.
   */
  async run(seconds: number, sending: Sending, sampling?: Sampling, atLeast?: { atLeastDelivered: number; limitMs: number }): Promise<IntakeRate> {
    const started = performance.now();
    const base = { accepted: this.accepted, delivered: this.deliveries.delivered };
    const cpu = process.cpuUsage();
    let stop = false;
    const senders = this.banks.map(async (bank, i) => {
      const intervalMs = sending.kind === "paced" ? (1000 * this.banks.length) / sending.eventsPerSecond : 0;
      // Paced banks are spread over one interval, not sending all at once.
      let next = started + (intervalMs * i) / this.banks.length;
      while (!stop) {
        if (sending.kind === "closed") {
          await this.deliveries.reached(this.deliveries.delivered + this.backlog - sending.windowEvents * this.subscribers, seconds * 1000);
        } else {
          await sleep(next - performance.now());
          next = Math.max(next + intervalMs, performance.now());
        }
        if (!stop) await this.emit(bank);
      }
    });
    let last = { at: started, ...base };
    while (performance.now() - started < seconds * 1000) {
      const remaining = seconds * 1000 - (performance.now() - started);
      await sleep(Math.min(remaining, (sampling?.everySeconds ?? Infinity) * 1000));
      if (!sampling) continue;
      const now = { at: performance.now(), accepted: this.accepted, delivered: this.deliveries.delivered };
      const elapsed = (now.at - last.at) / 1000;
      sampling.sample(Math.round((now.at - started) / 1000), {
        eventsPerSecond: (now.accepted - last.accepted) / elapsed,
        deliveriesPerSecond: (now.delivered - last.delivered) / elapsed,
      });
      last = now;
    }
    if (atLeast) await this.deliveries.reached(base.delivered + atLeast.atLeastDelivered, atLeast.limitMs);
    stop = true;
    this.backlogAtStop = this.backlog;
    const elapsed = (performance.now() - started) / 1000;
    const accepted = this.accepted - base.accepted;
    const delivered = this.deliveries.delivered - base.delivered;
    const used = process.cpuUsage(cpu);
    // Counted before the senders settle: the phase ends when it stops sending.
    await Promise.all(senders);
    return {
      seconds: elapsed,
      accepted,
      delivered,
      eventsPerSecond: accepted / elapsed,
      deliveriesPerSecond: delivered / elapsed,
      cpuMs: (used.user + used.system) / 1000,
    };
  }

  /** With the banks stopped: waits until every owed delivery is made (or `limitMs` passed), also those of the webhooks answered since. */
  async quiet(limitMs: number): Promise<Omit<QuietPoint, "memory">> {
    const backlog = this.backlogAtStop;
    const started = performance.now();
    const drained = await this.deliveries.reached(this.accepted * this.subscribers, limitMs);
    return { backlog, drainedSeconds: (performance.now() - started) / 1000, drained };
  }
}

/** Deliveries the subscribers received; `reached(n)` resolves at the delivery that makes n, not on a timer. */
class DeliveryCounter {
  delivered = 0;
  private waiters: Array<{ target: number; resolve: (reached: boolean) => void }> = [];

  count(): void {
    this.delivered++;
    if (this.waiters.length === 0) return;
    const due = this.waiters.filter((w) => w.target <= this.delivered);
    if (due.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.target > this.delivered);
    for (const waiter of due) waiter.resolve(true);
  }

  /** True once `target` deliveries are made; false if `limitMs` passes first. */
  reached(target: number, limitMs: number): Promise<boolean> {
    if (this.delivered >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        target,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, limitMs);
      this.waiters.push(waiter);
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

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
