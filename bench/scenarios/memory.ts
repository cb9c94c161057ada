/**
 * Scenario 5 — memory. A fresh gateway process in its default config (upstream cache on, store on
 * disk, so the access log does not pile up in memory; quick mode reuses the one scenario 2 started)
 * under dashboard load at 64 connections: RSS and heap after the first period, then sampled
 * through a further, longer period. Heap is read after a full GC (--expose-gc), so it is what
 * the process keeps, not garbage not yet collected. Target: no growth from the first sample to
 * the last (≤ 10%, and a few MB of slack for small heaps).
 */
import { GATEWAY_DEFAULT_CONFIG, type BenchContext } from "../support/bench-context.js";
import type { ProcessUsage } from "../support/child-process.js";
import { DASHBOARD_QUERY } from "../support/dashboard.js";
import { graphqlLoad, measure } from "../support/measure.js";
import { dashboardUserIds } from "../support/population.js";
import { check, type ScenarioResult } from "../support/report.js";
import { round } from "../support/stats.js";

const GROWTH_LIMIT = 0.1;
const SLACK_MB = 4;

interface Sample {
  afterSeconds: number;
  requests: number;
  rps: number;
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
}

export async function memory(context: BenchContext): Promise<ScenarioResult> {
  const { connections, firstSeconds, furtherSeconds, furtherSamples, freshProcess } = context.profile.memory;
  const target = freshProcess ? await context.freshTarget(GATEWAY_DEFAULT_CONFIG) : await context.target(GATEWAY_DEFAULT_CONFIG);
  try {
    const load = await graphqlLoad(context, target.url, DASHBOARD_QUERY, dashboardUserIds(connections, context.profile.dashboardUsers));
    const periods = [firstSeconds, ...Array.from({ length: furtherSamples }, () => Math.round(furtherSeconds / furtherSamples))];
    const samples: Sample[] = [];
    let elapsed = 0;
    for (const [index, seconds] of periods.entries()) {
      const { load: run } = await measure(context, target, `memory period ${index + 1}`, { ...load, connections, duration: seconds });
      elapsed += seconds;
      const usage: ProcessUsage = await target.usage(true);
      samples.push({
        afterSeconds: elapsed,
        requests: run.served,
        rps: run.rps,
        rssMb: round(usage.rssMb, 1),
        heapUsedMb: round(usage.heapUsedMb, 1),
        externalMb: round(usage.externalMb, 1),
      });
      context.log(`memory after ${elapsed} s: rss ${usage.rssMb.toFixed(1)} MB, heap ${usage.heapUsedMb.toFixed(1)} MB`);
    }
    const first = samples[0]!;
    const last = samples[samples.length - 1]!;
    const growth = (from: number, to: number) => round(Math.max(0, to - from - SLACK_MB) / from, 3);
    const quick = context.profile.mode === "quick";
    return {
      id: "5",
      title: `Memory: dashboard load at ${connections} connections, ${firstSeconds} s then ${furtherSeconds} s more`,
      tables: [
        {
          columns: ["after s", "requests", "req/s", "RSS MB", "heap used MB (after GC)", "external MB"],
          rows: samples.map((s) => [s.afterSeconds, s.requests, s.rps, s.rssMb, s.heapUsedMb, s.externalMb]),
        },
      ],
      // Seconds of load say nothing about growth: the quick run reports, the full run judges.
      targets: quick
        ? []
        : [
            check(
              `heap growth after the first ${firstSeconds} s (fraction, beyond ${SLACK_MB} MB)`,
              growth(first.heapUsedMb, last.heapUsedMb),
              "<=",
              GROWTH_LIMIT,
            ),
            check(`RSS growth after the first ${firstSeconds} s (fraction, beyond ${SLACK_MB} MB)`, growth(first.rssMb, last.rssMb), "<=", GROWTH_LIMIT),
          ],
      metrics: { connections, samples },
      notes: [
        ...(quick
          ? [
              `quick mode: ${firstSeconds} s + ${furtherSeconds} s instead of 60 s + 300 s, in the gateway process earlier scenarios used, so no growth verdict; run without --quick for the soak`,
            ]
          : []),
        "heap is measured after a full GC; RSS includes PGlite's WASM memory",
      ],
    };
  } finally {
    if (freshProcess) await target.stop();
  }
}
