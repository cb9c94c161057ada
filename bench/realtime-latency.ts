/**
 * `node --import tsx bench/realtime-latency.ts [--events 300] [--warmup 30] [--redis redis://127.0.0.1:6379] [--path log|pre-log|bare]`:
 * webhook → subscriber latency (bench/realtime/latency.ts), printed. With --redis the hints go
 * through Redis (what N instances do) instead of in-process; --path pre-log measures the gateway's
 * path before the log (bench/baselines/pre-log-publish.ts), --path bare a floor without auth,
 * ledger, consent or access log (bench/baselines/direct-publish.ts). `npm run bench` runs
 * scenario 8, which alternates the three, in-process and through Redis, and reports the ratios.
 */
// Before any schema class is loaded (type-graphql reads decorator metadata as the classes load).
import "reflect-metadata";
import { parseArgs } from "node:util";
import { measureRealtimeLatency } from "./realtime/latency.js";
import type { latencyStats } from "./support/realtime-bench.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "300" },
    warmup: { type: "string", default: "30" },
    redis: { type: "string" },
    path: { type: "string", default: "log" },
  },
});
const events = Number(values.events);
const warmup = Number(values.warmup);
const path = values.path;
if (path !== "log" && path !== "pre-log" && path !== "bare") throw new Error("--path is log, pre-log or bare");
const result = await measureRealtimeLatency({ events, warmup, redisUrl: values.redis, path });

const row = (name: string, s: ReturnType<typeof latencyStats>) =>
  `${name.padEnd(34)} ${[s.median, s.p90, s.p99, s.min, s.max].map((v) => v.toFixed(2).padStart(8)).join(" ")}`;
process.stdout.write(
  [
    `realtime latency, ${path} path, ${events} events after ${warmup} warm-up, pub/sub: ${values.redis ? `Redis (${values.redis})` : "in-process"}${path === "bare" ? "" : ", store: PGlite in memory"}`,
    `${"ms".padEnd(34)} ${["median", "p90", "p99", "min", "max"].map((h) => h.padStart(8)).join(" ")}`,
    row("bank sends → subscriber has it", result.toSubscriber),
    row("bank sends → webhook answered", result.webhookAnswered),
    "",
  ].join("\n"),
);
