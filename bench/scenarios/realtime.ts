/**
 * Scenarios 8 and 9 — real-time (issue 14). Each starts its own in-process gateways with mock
 * banks (bench/support/realtime-bench.ts), so they share no target with the HTTP scenarios.
 *
 * 8: webhook → subscriber latency through the event log against issue 14's "today's direct
 *    publish" — the gateway's path before the log, rebuilt on today's modules
 *    (bench/baselines/pre-log-publish.ts: same verification, replay-ledger insert, routing,
 *    consent per event, access log, GraphQL execution) — each with hints/events in-process and
 *    through Redis; a bare floor (bench/baselines/direct-publish.ts: no auth, ledger, routing,
 *    consent or access log) beside them for information. Six targets started side by side,
 *    alternated round by round, one event at a time; the target is p50 log ≤ 1.5× p50 pre-log,
 *    as the median of the rounds' ratios.
 * 9: sustained webhook intake with people × subs live subscribers, paced below the delivery rate
 *    it calibrates first; events and deliveries per second, the backlog, and the heap after GC
 *    with the banks stopped and every delivery made, after warm-up and after the run (flat = no growth).
 */
import type { BenchContext } from "../support/bench-context.js";
import { measureRealtimeIntake } from "../realtime/intake.js";
import { heapGrowth } from "../realtime/intake-report.js";
import { startLatencyTarget, type LatencyTarget, type RealtimeLatencyResult } from "../realtime/latency.js";
import { alternate, medianOf, medianRatio } from "../support/measure.js";
import { check, type ScenarioResult } from "../support/report.js";

const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

/** Redis for the "through Redis" variants: BENCH_REDIS_URL, else TEST_REDIS_URL, else the local one. */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
/** Issue 14: p50 through the log at most this times the direct (pre-log) path's, in-process and through Redis. */
const P50_RATIO_LIMIT = 1.5;

const VARIANTS = {
  logInProcess: { label: "log, hints in-process", path: "log", redis: false },
  preLogInProcess: { label: "direct (pre-log gateway), in-process", path: "pre-log", redis: false },
  bareInProcess: { label: "bare floor, in-process", path: "bare", redis: false },
  logRedis: { label: "log, hints through Redis", path: "log", redis: true },
  preLogRedis: { label: "direct (pre-log gateway), through Redis", path: "pre-log", redis: true },
  bareRedis: { label: "bare floor, through Redis", path: "bare", redis: true },
} as const;
type Variant = keyof typeof VARIANTS;

export async function realtimeLatency(context: BenchContext): Promise<ScenarioResult> {
  const { events, warmup } = context.profile.realtimeLatency;
  const { rounds } = context.profile;
  const names = Object.keys(VARIANTS) as Variant[];
  const targets = {} as Record<Variant, LatencyTarget>;
  try {
    for (const name of names) {
      const { path, redis } = VARIANTS[name];
      targets[name] = await startLatencyTarget({ path, redisUrl: redis ? REDIS_URL : undefined });
      // Warmed once, before any round: the code is optimized and every connection is open.
      await targets[name].measure(1, warmup);
    }
    const runs = await alternate<Variant, RealtimeLatencyResult>(
      rounds,
      Object.fromEntries(names.map((name) => [name, () => targets[name].measure(events, 0)])) as Record<Variant, () => Promise<RealtimeLatencyResult>>,
    );
    const p50 = (r: RealtimeLatencyResult) => r.toSubscriber.median;
    const p99 = (r: RealtimeLatencyResult) => r.toSubscriber.p99;
    const ratio = (log: Variant, base: Variant) => ({ p50: medianRatio(runs[log], runs[base], p50), p99: medianRatio(runs[log], runs[base], p99) });
    const ratios = {
      inProcess: ratio("logInProcess", "preLogInProcess"),
      redis: ratio("logRedis", "preLogRedis"),
      bareInProcess: ratio("logInProcess", "bareInProcess"),
      bareRedis: ratio("logRedis", "bareRedis"),
    };
    const row = (name: Variant) => [
      VARIANTS[name].label,
      medianOf(runs[name], p50),
      medianOf(runs[name], p99),
      medianOf(runs[name], (r) => r.webhookAnswered.median),
      runs[name].map((r) => round(p50(r))).join(" / "),
    ];
    return {
      id: "8",
      title: `Real-time latency: bank sends a webhook → graphql-ws subscriber has the payload, through the log vs direct (the gateway before the log) (${rounds} round(s) × ${events} events, PGlite in memory)`,
      tables: [
        { columns: ["ms (median of rounds)", "p50", "p99", "webhook answered p50", "p50 by round"], rows: names.map(row) },
        {
          columns: ["log ÷ …", "p50", "p99"],
          rows: [
            ["direct (pre-log), in-process", ratios.inProcess.p50, ratios.inProcess.p99],
            ["direct (pre-log), through Redis", ratios.redis.p50, ratios.redis.p99],
            ["bare floor, in-process (information)", ratios.bareInProcess.p50, ratios.bareInProcess.p99],
            ["bare floor, through Redis (information)", ratios.bareRedis.p50, ratios.bareRedis.p99],
          ],
        },
      ],
      targets: [
        check(`p50 log ÷ direct (pre-log gateway), in-process ≤ ${P50_RATIO_LIMIT}`, ratios.inProcess.p50, "<=", P50_RATIO_LIMIT),
        check(`p50 log ÷ direct (pre-log gateway), through Redis ≤ ${P50_RATIO_LIMIT}`, ratios.redis.p50, "<=", P50_RATIO_LIMIT),
      ],
      metrics: { events, warmup, rounds, redisUrl: REDIS_URL.replace(/\/\/[^@]*@/, "//"), runs, ratios },
      notes: [
        "direct (pre-log gateway) = bench/baselines/pre-log-publish.ts: the gateway's path before the event log (git 0766764) on today's modules: signature, replay-ledger insert, answer, then routing and publish of the event itself; the same WebSocket pipeline, consent per event, GraphQL execution and access log.",
        "bare floor = bench/baselines/direct-publish.ts: signature and translation, publish, graphql-ws; no auth, ledger, routing, consent or access log. Not what the gateway ever did: for information.",
        "The log path answers the bank only after its commit; the pre-log and bare paths answer, then publish.",
        ...(context.profile.mode === "quick" ? ["quick: a handful of events per variant; indicative only"] : []),
      ],
    };
  } finally {
    for (const target of Object.values(targets)) await target.close();
  }
}

/** Issue 14: no growth of memory over the run — heap after GC, end vs start, at most this share of the start (noise, not a trend). */
const HEAP_GROWTH_LIMIT_PERCENT = 5;

export async function realtimeIntake(context: BenchContext): Promise<ScenarioResult> {
  const options = context.profile.realtimeIntake;
  const subscribers = options.people * options.subs;
  const result = await measureRealtimeIntake(options);
  const { calibration, soak, start, end } = result;
  const growth = heapGrowth(result);
  const heapTrendMbPerMinute = slopePerMinute(result.samples.map((s) => [s.atSeconds, s.heapMb]));
  const full = context.profile.mode === "full";
  const quiet = (name: string, point: typeof start) => [
    `${name} (backlog ${point.backlog} when the banks stopped, ${point.drained ? "drained" : "NOT drained"} in ${round(point.drainedSeconds)} s)`,
    round(point.memory.heapMb),
    round(point.memory.rssMb),
    round(point.memory.externalMb),
  ];
  return {
    id: "9",
    title: `Real-time intake: ${subscribers} live subscribers (${options.people} people × ${options.subs}), ${options.banks} banks sending at ${options.paceFraction ?? 0.7} of the calibrated delivery rate, ${Math.round(soak.seconds)} s`,
    tables: [
      {
        columns: [
          "phase",
          "s",
          "events accepted",
          "deliveries",
          "events/s",
          "deliveries/s",
          "events/s delivered to every subscriber",
          "CPU ms per delivery (gateway and clients)",
        ],
        rows: [
          [
            "calibration (backlog bounded)",
            round(calibration.seconds, 0),
            calibration.accepted,
            calibration.delivered,
            round(calibration.eventsPerSecond, 2),
            round(calibration.deliveriesPerSecond, 0),
            round(calibration.capacityEventsPerSecond, 2),
            round(calibration.cpuMs / calibration.delivered, 3),
          ],
          [
            `soak (paced at ${round(result.pacedEventsPerSecond, 2)}/s)`,
            round(soak.seconds, 0),
            soak.accepted,
            soak.delivered,
            round(soak.eventsPerSecond, 2),
            round(soak.deliveriesPerSecond, 0),
            round(soak.deliveriesPerSecond / subscribers, 2),
            round(soak.cpuMs / soak.delivered, 3),
          ],
        ],
      },
      {
        columns: ["t s", "events/s", "deliveries/s", "backlog (deliveries owed)", "heap MB", "rss MB"],
        rows: result.samples.map((s) => [
          s.atSeconds,
          round(s.eventsPerSecond, 2),
          round(s.deliveriesPerSecond, 0),
          s.backlog,
          round(s.heapMb),
          round(s.rssMb),
        ]),
      },
      {
        columns: ["memory after GC, banks stopped, every delivery made", "heap MB", "rss MB", "external MB"],
        rows: [
          quiet("start (after calibration and warm-up)", start),
          quiet("end", end),
          ["growth", round(growth.mb), round(end.memory.rssMb - start.memory.rssMb), round(end.memory.externalMb - start.memory.externalMb)],
          ["trend of the samples while sending, MB/min (least squares)", round(heapTrendMbPerMinute, 2), "", ""],
        ],
      },
    ],
    targets: full
      ? [
          check(
            `heap growth after GC, start → end of ${Math.round(soak.seconds)} s, % of start ≤ ${HEAP_GROWTH_LIMIT_PERCENT}`,
            round(growth.percent, 2),
            "<=",
            HEAP_GROWTH_LIMIT_PERCENT,
          ),
        ]
      : [],
    metrics: { ...options, ...result, subscribers, heapGrowthMb: growth.mb, heapGrowthPercent: growth.percent, heapTrendMbPerMinute },
    notes: [
      `largest backlog at a sample: ${result.maxBacklog} deliveries (${round(result.maxBacklog / subscribers, 1)} events); run in all: ${result.acceptedInAll} events accepted, ${result.deliveredInAll} of ${result.acceptedInAll * subscribers} deliveries made`,
      `this process holds the gateway and the clients (${options.people} sockets); the banks run in a child (heap ${round(result.banksProcess.start.heapUsedMb)} → ${round(result.banksProcess.end.heapUsedMb)} MB, not counted)`,
      "rss and external include the in-memory store (PGlite's WASM memory), which grows with the rows logged: that is data, not a leak; the heap is the leak indicator",
      ...(result.gcForced ? [] : ["gc could not be exposed: samples are not after a collection"]),
      ...(full ? [] : ["quick: far too short and small for a memory verdict; the full run holds 1,000 subscribers for 5 minutes"]),
    ],
  };
}

/** Least-squares slope of (seconds, value) points, per minute. */
function slopePerMinute(points: ReadonlyArray<readonly [number, number]>): number {
  if (points.length < 2) return 0;
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const mx = mean(points.map(([x]) => x));
  const my = mean(points.map(([, y]) => y));
  const sxy = points.reduce((sum, [x, y]) => sum + (x - mx) * (y - my), 0);
  const sxx = points.reduce((sum, [x]) => sum + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : (60 * sxy) / sxx;
}
