/**
 * Measured runs as the scenarios use them: a warm-up that is thrown away, a pause until the
 * server and the mock banks are idle again (requests cut off at the end of a run are still being
 * worked on), then the run that counts, with the CPU each process spent on it. Variants are
 * alternated round by round (ABBA…) so that drift on a shared machine hits all of them alike.
 */
import { join } from "node:path";
import type { BenchContext, Target } from "./bench-context.js";
import { graphqlBody, isCleanGraphqlBody } from "./dashboard.js";
import { assertClean, runLoad, type LoadOptions, type LoadResult } from "./load.js";
import { median, round, summarizeLatencies, type LatencySummary } from "./stats.js";

/** Load options for a GraphQL operation; connection i is sent as `userIds[i % length]`. */
export async function graphqlLoad(
  context: BenchContext,
  url: string,
  query: string,
  userIds: readonly string[],
): Promise<Pick<LoadOptions, "url" | "body" | "connectionHeaders" | "verify">> {
  const connectionHeaders = await Promise.all(userIds.map(async (userId) => ({ authorization: `Bearer ${await context.token(userId)}` })));
  return { url, body: graphqlBody(query), connectionHeaders, verify: isCleanGraphqlBody };
}

/**
 * A load run with the CPU the server under test and the mock banks used for it: in cores during
 * the run, and in CPU milliseconds per request — which other load on the machine disturbs far
 * less than requests per second or latency.
 */
export interface MeasuredRun {
  load: LoadResult;
  targetCores: number;
  mockCores: number;
  /**
   * Server CPU per request: from the start of the run until the server is idle again (requests
   * cut off at the end are still finished), minus what the idle process burns meanwhile, over the
   * served requests plus the one still in flight on each connection at the end.
   */
  targetCpuMsPerRequest: number;
  /** The mock banks' CPU per request over the same span (they have no idle burn to speak of). */
  mockCpuMsPerRequest: number;
  /** Bank calls the mock banks answered per request over the same span. */
  bankCallsPerRequest: number;
}

/** How a run warms up: for some seconds of the same load, or a number of requests. Default none. */
export interface MeasureOptions {
  warmupSeconds?: number;
  warmupRequests?: number;
}

/** Warm-up (discarded), settle, then the measured run; throws if either run had a failed request. */
export async function measure(context: BenchContext, target: Target, label: string, options: LoadOptions, how: MeasureOptions = {}): Promise<MeasuredRun> {
  await context.mocks.admin.resetCalls(); // the mocks log every request until reset
  if (how.warmupSeconds || how.warmupRequests) {
    const warm = how.warmupRequests
      ? { ...options, duration: undefined, amount: how.warmupRequests }
      : { ...options, amount: undefined, duration: how.warmupSeconds };
    assertClean(`${label} (warm-up)`, await runLoad(warm), true);
  }
  const idle = await settle(context, [target]);
  const profiling = context.cpuProfileDir !== undefined && target.profileStart !== undefined;
  if (profiling) await Promise.all([target.profileStart!(), context.mocks.profileStart()]);
  const started = performance.now();
  const [target0, mocks0, calls0] = await Promise.all([target.usage(), context.mocks.usage(), bankCallCount(context)]);
  const load = assertClean(label, await runLoad(options));
  const [target1, mocks1] = await Promise.all([target.usage(), context.mocks.usage()]);
  if (profiling) {
    const base = join(context.cpuProfileDir!, label.replace(/[^A-Za-z0-9.-]+/g, "_"));
    await Promise.all([target.profileStop!(`${base}.server.cpuprofile`), context.mocks.profileStop(`${base}.mocks.cpuprofile`)]);
  }
  await settle(context, [target]);
  const [target2, mocks2, calls2] = await Promise.all([target.usage(), context.mocks.usage(), bankCallCount(context)]);
  const busyMs = target2.cpuMs - target0.cpuMs - idle.targetCpuPerMs * (performance.now() - started);
  const cores = (before: number, after: number) => round((after - before) / 1000 / load.durationSeconds, 2);
  const requests = load.served + options.connections;
  return {
    load,
    targetCores: cores(target0.cpuMs, target1.cpuMs),
    mockCores: cores(mocks0.cpuMs, mocks1.cpuMs),
    targetCpuMsPerRequest: round(Math.max(0, busyMs) / requests, 2),
    mockCpuMsPerRequest: round((mocks2.cpuMs - mocks0.cpuMs) / requests, 2),
    bankCallsPerRequest: round((calls2 - calls0) / requests, 2),
  };
}

/** Calls all mock banks answered since their counts were last reset. */
async function bankCallCount(context: BenchContext): Promise<number> {
  return Object.values(await context.mocks.admin.calls()).reduce((sum, bank) => sum + bank.total, 0);
}

const SETTLE_SAMPLE_MS = 200;
/** Busy below this share of one core counts as idle (timers, GC, metrics: an idle gateway burns ~0.6%). */
const IDLE_SHARE = 0.03;
const SETTLE_LIMIT_MS = 15_000;

/**
 * Waits until these targets and the mock banks have stopped working (or 15 s passed) and says
 * how much CPU the first target burns idle (CPU ms per wall ms).
 */
export async function settle(context: BenchContext, targets: readonly Target[]): Promise<{ targetCpuPerMs: number }> {
  const sample = async () => ({
    at: performance.now(),
    cpu: await Promise.all([context.mocks.usage(), ...targets.map((t) => t.usage())].map(async (u) => (await u).cpuMs)),
  });
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  let previous = await sample();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_SAMPLE_MS));
    const now = await sample();
    const elapsed = now.at - previous.at;
    const idle = now.cpu.every((ms, i) => ms - previous.cpu[i]! < elapsed * IDLE_SHARE);
    if (idle || Date.now() > deadline) return { targetCpuPerMs: targets.length ? (now.cpu[1]! - previous.cpu[1]!) / elapsed : 0 };
    previous = now;
  }
}

/** Latencies of two ways to ask the same thing, one request of each in turn (which goes first alternates). */
export interface PairedRun {
  a: LatencySummary;
  b: LatencySummary;
  /** Median over pairs of (a − b): what `a` adds, with drift and the shared bank's mood cancelled pair by pair. */
  medianDifferenceMs: number;
  /** CPU of `cpuOf`'s process per `a` request, less what it burns idle over the same time. */
  aCpuMsPerRequest: number;
}

/** `pairs` sequential pairs of requests, all measured: warm up before calling. */
export async function measurePaired(context: BenchContext, cpuOf: Target, a: () => Promise<void>, b: () => Promise<void>, pairs: number): Promise<PairedRun> {
  const idle = await settle(context, [cpuOf]);
  const timed = async (request: () => Promise<void>) => {
    const started = performance.now();
    await request();
    return performance.now() - started;
  };
  const aTimes: number[] = [];
  const bTimes: number[] = [];
  const cpu0 = (await cpuOf.usage()).cpuMs;
  const started = performance.now();
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      aTimes.push(await timed(a));
      bTimes.push(await timed(b));
    } else {
      bTimes.push(await timed(b));
      aTimes.push(await timed(a));
    }
  }
  const busyMs = (await cpuOf.usage()).cpuMs - cpu0 - idle.targetCpuPerMs * (performance.now() - started);
  return {
    a: summarizeLatencies(aTimes),
    b: summarizeLatencies(bTimes),
    medianDifferenceMs: round(median(aTimes.map((t, i) => t - bTimes[i]!)), 2),
    aCpuMsPerRequest: round(Math.max(0, busyMs) / pairs, 2),
  };
}

/** Runs each variant once per round, reversing the order every other round. */
export async function alternate<K extends string, T = MeasuredRun>(rounds: number, variants: Record<K, () => Promise<T>>): Promise<Record<K, T[]>> {
  const names = Object.keys(variants) as K[];
  const results = Object.fromEntries(names.map((n) => [n, [] as T[]])) as Record<K, T[]>;
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) results[name].push(await variants[name]());
  }
  return results;
}

/**
 * The median over rounds of `pick(a) / pick(b)`, each round's pair measured side by side, to three
 * decimals: what the ratio targets use, since a pair shares whatever the machine was doing then.
 */
export function medianRatio<T = MeasuredRun>(a: readonly T[], b: readonly T[], pick: (run: T) => number): number {
  return round(median(a.map((run, i) => pick(run) / pick(b[i]!))), 3);
}

/** The median across rounds of one number of a run, to two decimals. */
export function medianOf<T = MeasuredRun>(runs: readonly T[], pick: (run: T) => number): number {
  return round(median(runs.map(pick)), 2);
}
