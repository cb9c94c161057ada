/**
 * Scenarios 8 and 9 — real-time (issue 14). Each starts its own in-process gateway with mock
 * banks (bench/support/realtime-bench.ts), so they share no target with the HTTP scenarios.
 *
 * 8: webhook → subscriber latency through the event log, hints in-process; one event at a time.
 * 9: sustained webhook intake with people × subs live subscribers; events and deliveries per
 *    second and the gateway's heap over the run (flat = no growth).
 */
import type { BenchContext } from "../support/bench-context.js";
import { measureRealtimeIntake } from "../realtime/intake.js";
import { measureRealtimeLatency } from "../realtime/latency.js";
import type { ScenarioResult } from "../support/report.js";

const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

export async function realtimeLatency(context: BenchContext): Promise<ScenarioResult> {
  const { events, warmup } = context.profile.realtimeLatency;
  const result = await measureRealtimeLatency({ events, warmup });
  const row = (name: string, s: typeof result.toSubscriber) => [name, ...[s.median, s.p90, s.p99, s.max].map((v) => round(v))];
  return {
    id: "8",
    title: `Real-time latency: bank sends a webhook → graphql-ws subscriber has the payload (${events} events, hints in-process, PGlite in memory)`,
    tables: [
      {
        columns: ["ms", "median", "p90", "p99", "max"],
        rows: [row("bank sends → subscriber has it", result.toSubscriber), row("bank sends → webhook answered", result.webhookAnswered)],
      },
    ],
    targets: [],
    metrics: { events, warmup, ...result },
    notes: [
      "The ratio to a direct publish (issue 14: p50 ≤ 1.5×) needs the previous build run alternately; see the README's 2026-12-03 section. Through Redis: node --import tsx bench/realtime-latency.ts --redis <url>.",
    ],
  };
}

export async function realtimeIntake(context: BenchContext): Promise<ScenarioResult> {
  const options = context.profile.realtimeIntake;
  const result = await measureRealtimeIntake(options);
  const heap = result.samples.map((s) => s.heapMb);
  const growthMb = heap.length > 1 ? heap.at(-1)! - heap[1]! : 0;
  return {
    id: "9",
    title: `Real-time intake: ${options.people * options.subs} live subscribers (${options.people} people × ${options.subs}), ${options.banks} banks sending, ${Math.round(result.seconds)} s`,
    tables: [
      {
        columns: ["t s", "events/s", "deliveries/s", "heap MB", "rss MB"],
        rows: result.samples.map((s) => [s.atSeconds, round(s.eventsPerSecond), round(s.deliveriesPerSecond, 0), round(s.heapMb), round(s.rssMb)]),
      },
      {
        columns: ["total", "events accepted", "deliveries", "events/s", "deliveries/s"],
        rows: [["", result.accepted, result.delivered, round(result.accepted / result.seconds), round(result.delivered / result.seconds, 0)]],
      },
    ],
    targets: [],
    metrics: { ...options, ...result, heapGrowthAfterFirstSampleMb: growthMb },
    notes: [
      `heap after the first sample → end: ${growthMb.toFixed(1)} MB${result.gcForced ? " (gc forced before each sample)" : " (gc not exposed: run node --expose-gc for a verdict)"}`,
      ...(context.profile.mode === "quick" ? ["quick: far too short and small for a memory verdict; the full run holds 1,000 subscribers for 5 minutes"] : []),
    ],
  };
}
