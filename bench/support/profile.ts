/**
 * How long and how hard each scenario runs. `full` is what the README quotes; `quick` finishes the
 * whole bench in under two minutes on a quiet 2-core machine, for development and smoke runs: one
 * round, seconds instead of tens of seconds, two points of each scale curve and a memory soak
 * too short for a verdict (the results say so). Quick ratios are indicative, not for quoting.
 */
import type { RealtimeIntakeOptions } from "../realtime/intake.js";
import type { ScalePoints } from "./population.js";

/** The curves of issue 7: 1–1000 accounts, 1k–100k transactions of history. */
const SCALE_POINTS: ScalePoints = { accounts: [1, 10, 100, 1000], history: [1_000, 10_000, 100_000] };

export interface BenchProfile {
  mode: "quick" | "full";
  /** Distinct dashboard users that load runs spread their connections over (each seeded per target). */
  dashboardUsers: number;
  /** Ratio scenarios alternate the variants this many times and report the median round. */
  rounds: number;
  /** Unmeasured load before each measured run (JIT, connection pools). */
  warmupSeconds: number;
  fanOut: { connections: number; seconds: number; bankLatencyMs: number };
  efficiency: { concurrent: number };
  throughput: { connections: number; seconds: number };
  /** Requests per point (after `warmupRequests`; the same-data check before them warms up too), and the points of both curves. */
  scale: { requests: number; warmupRequests: number } & ScalePoints;
  /** `freshProcess`: soak a gateway process of its own rather than the one earlier scenarios used. */
  memory: { connections: number; firstSeconds: number; furtherSeconds: number; furtherSamples: number; freshProcess: boolean };
  cluster: { connections: number; seconds: number };
  /** Webhook → subscriber latency: events measured after `warmup` unmeasured ones. */
  realtimeLatency: { events: number; warmup: number };
  /** Sustained webhook intake: people × subs live subscribers, `banks` sending at `paceFraction` of the calibrated delivery rate. */
  realtimeIntake: RealtimeIntakeOptions;
}

export const FULL_PROFILE: BenchProfile = {
  mode: "full",
  dashboardUsers: 64,
  rounds: 3,
  warmupSeconds: 5,
  fanOut: { connections: 4, seconds: 20, bankLatencyMs: 50 },
  efficiency: { concurrent: 10 },
  throughput: { connections: 32, seconds: 15 },
  scale: { requests: 20, warmupRequests: 2, ...SCALE_POINTS },
  memory: { connections: 64, firstSeconds: 60, furtherSeconds: 300, furtherSamples: 5, freshProcess: true },
  cluster: { connections: 32, seconds: 15 },
  // Warm-up: 20 events left the first round of the log path ~1.5x slower than the next two (V8 and
  // PGlite's WASM still tiering up); 100 give every path its steady state before any round.
  realtimeLatency: { events: 200, warmup: 100 },
  // Warm-up: the followers' read buffers (up to 100 rows each) fill during the first minute under this load.
  realtimeIntake: { seconds: 300, people: 100, subs: 10, banks: 4, sampleSeconds: 30, warmupSeconds: 30, calibrateSeconds: 30, paceFraction: 0.7 },
};

export const QUICK_PROFILE: BenchProfile = {
  mode: "quick",
  // Fewer users to seed per target (the longest part of starting one); connections share them.
  dashboardUsers: 8,
  rounds: 1,
  warmupSeconds: 1,
  fanOut: { connections: 4, seconds: 3, bankLatencyMs: 50 },
  efficiency: { concurrent: 10 },
  throughput: { connections: 32, seconds: 3 },
  // Two points of each curve, short of the far ends (whose mock banks alone take half a minute):
  // the full run has every point.
  scale: { requests: 2, warmupRequests: 0, accounts: [1, 100], history: [1_000, 10_000] },
  memory: { connections: 64, firstSeconds: 3, furtherSeconds: 5, furtherSamples: 2, freshProcess: false },
  cluster: { connections: 32, seconds: 2 },
  realtimeLatency: { events: 30, warmup: 5 },
  realtimeIntake: { seconds: 5, people: 10, subs: 2, banks: 2, sampleSeconds: 1, warmupSeconds: 1, calibrateSeconds: 2, paceFraction: 0.7 },
};
