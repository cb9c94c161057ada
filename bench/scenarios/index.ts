/** The scenarios of issue 7 (1–7) and issue 14 (8, 9: real-time), in the order they run. */
import { DIRECT, GATEWAY, GATEWAY_DEFAULT_CONFIG, type BenchContext, type TargetSpec } from "../support/bench-context.js";
import type { BenchProfile } from "../support/profile.js";
import type { ScenarioResult } from "../support/report.js";
import { clusterThroughput } from "./cluster.js";
import { CPU_TARGETS, cpuPerRequest } from "./cpu-per-request.js";
import { fanOutLatency } from "./fan-out-latency.js";
import { memory } from "./memory.js";
import { realtimeIntake, realtimeLatency } from "./realtime.js";
import { scale } from "./scale.js";
import { THROUGHPUT_TARGETS, throughput } from "./throughput.js";
import { upstreamEfficiency } from "./upstream-efficiency.js";

export interface Scenario {
  id: string;
  name: string;
  /** Shared targets it uses under this profile, started before the first scenario runs. */
  targets(profile: BenchProfile): ReadonlyArray<TargetSpec>;
  run(context: BenchContext): Promise<ScenarioResult>;
}

export const SCENARIOS: readonly Scenario[] = [
  { id: "1", name: "fan-out latency", targets: () => [GATEWAY, DIRECT], run: fanOutLatency },
  { id: "2", name: "upstream efficiency", targets: () => [GATEWAY_DEFAULT_CONFIG], run: upstreamEfficiency },
  { id: "3", name: "throughput", targets: () => THROUGHPUT_TARGETS, run: throughput },
  { id: "4", name: "scale", targets: () => [GATEWAY, DIRECT], run: scale },
  { id: "5", name: "memory", targets: (profile) => (profile.memory.freshProcess ? [] : [GATEWAY_DEFAULT_CONFIG]), run: memory },
  { id: "6", name: "cluster", targets: () => [], run: clusterThroughput },
  { id: "7", name: "cpu per request", targets: () => CPU_TARGETS, run: cpuPerRequest },
  { id: "8", name: "realtime latency", targets: () => [], run: realtimeLatency },
  { id: "9", name: "realtime intake", targets: () => [], run: realtimeIntake },
];
