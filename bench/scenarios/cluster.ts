/**
 * Scenario 6 — cluster. Dashboard throughput at 32 connections with one and with two gateway
 * processes (node:cluster, one port) sharing one PostgreSQL database, on this machine's cores —
 * which the mock banks and the load generator share too. No upstream cache TTL, as in scenario 3.
 * PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import pg from "pg";
import type { BenchContext, Target } from "../support/bench-context.js";
import { spawnChild, type ProcessUsage } from "../support/child-process.js";
import type { ClusterReady, ClusterStart } from "../support/cluster-process.js";
import { DASHBOARD_QUERY } from "../support/dashboard.js";
import { alternate, graphqlLoad, measure, medianOf, type MeasuredRun } from "../support/measure.js";
import { DASHBOARD_USER, dashboardUserIds, dashboardUsers } from "../support/population.js";
import type { ScenarioResult } from "../support/report.js";
import { assertSameData, graphqlFingerprint } from "../support/same-data.js";
import { ratio } from "../support/stats.js";

const CLUSTER_ENTRY = new URL("../support/cluster-process.ts", import.meta.url);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export async function clusterThroughput(context: BenchContext): Promise<ScenarioResult> {
  const { profile } = context;
  const { connections, seconds } = profile.cluster;
  const schema = `bench_cluster_${randomBytes(4).toString("hex")}`;
  const start = (workers: number): ClusterStart => ({
    workers,
    databaseUrl: DATABASE_URL,
    schema,
    bankUrls: context.mocks.urls,
    secrets: context.secrets,
    users: dashboardUsers(Math.min(connections, context.profile.dashboardUsers)),
  });
  const stops: Array<() => Promise<void>> = [];
  try {
    const clusters: Record<"one" | "two", Target> = { one: await startCluster(context, start(1), stops), two: await startCluster(context, start(2), stops) };
    const data = assertSameData({
      "1 process": await graphqlFingerprint(context, clusters.one.url, DASHBOARD_QUERY, DASHBOARD_USER.userId),
      "2 processes": await graphqlFingerprint(context, clusters.two.url, DASHBOARD_QUERY, DASHBOARD_USER.userId),
    });
    const users = dashboardUserIds(connections, context.profile.dashboardUsers);
    const run = (name: "one" | "two") => async () =>
      measure(
        context,
        clusters[name],
        `cluster: ${name}`,
        { ...(await graphqlLoad(context, clusters[name].url, DASHBOARD_QUERY, users)), connections, duration: seconds },
        { warmupSeconds: profile.warmupSeconds },
      );
    const runs = await alternate<"one" | "two", MeasuredRun>(profile.rounds, { one: run("one"), two: run("two") });

    const rps = (name: "one" | "two") => medianOf(runs[name], (r) => r.load.rps);
    const row = (label: string, name: "one" | "two") => [
      label,
      rps(name),
      medianOf(runs[name], (r) => r.load.latency.p50),
      medianOf(runs[name], (r) => r.load.latency.p99),
      medianOf(runs[name], (r) => r.targetCores),
      medianOf(runs[name], (r) => r.mockCores),
    ];
    const speedup = ratio(rps("two"), rps("one"));
    return {
      id: "6",
      title: `Cluster: dashboard throughput, ${connections} connections, PostgreSQL, ${os.cpus().length} cores`,
      tables: [
        {
          columns: ["gateway processes", "req/s", "p50 ms", "p99 ms", "gateway CPU (cores)", "mock banks CPU (cores)"],
          rows: [row("1", "one"), row("2 (node:cluster)", "two"), ["2 / 1", speedup, "", "", "", ""]],
        },
      ],
      targets: [],
      metrics: { connections, cores: os.cpus().length, data, requestsPerSecond: { one: rps("one"), two: rps("two") }, speedup, runs },
      notes: [`two processes serve ${speedup}× one; on ${os.cpus().length} cores the mock banks and the load generator compete with the gateway (CPU columns)`],
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await dropSchema(schema);
  }
}

async function startCluster(context: BenchContext, start: ClusterStart, stops: Array<() => Promise<void>>): Promise<Target> {
  const began = Date.now();
  const child = await spawnChild<ClusterReady>(CLUSTER_ENTRY, start);
  stops.push(child.stop);
  context.log(`cluster of ${start.workers} ready at ${child.ready.url} in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  return { kind: "gateway", upstreamCache: false, store: "postgres", url: child.ready.url, usage: () => child.call<ProcessUsage>("usage"), stop: child.stop };
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
