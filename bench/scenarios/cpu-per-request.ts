/**
 * Scenario 7 — gateway CPU per request (issue 15, item 4): the fixed cost (`{ __typename }`), the
 * warm dashboard (upstream cache on, store on disk: no bank calls once warm) and the cold dashboard
 * (no upstream cache: every request makes the dashboard's bank calls), at 8 connections, one user
 * per connection, in server CPU milliseconds per request. CPU per request is what other load on a
 * shared machine disturbs least; compare figures of the same run.
 */
import { GATEWAY, GATEWAY_DEFAULT_CONFIG, type BenchContext, type TargetSpec } from "../support/bench-context.js";
import { DASHBOARD_QUERY } from "../support/dashboard.js";
import { alternate, graphqlLoad, measure, medianOf, type MeasuredRun } from "../support/measure.js";
import { dashboardUserIds } from "../support/population.js";
import type { ScenarioResult } from "../support/report.js";

const CONNECTIONS = 8;

const VARIANTS = {
  typename: { label: "{ __typename }", spec: GATEWAY, query: "{ __typename }" },
  warmDashboard: { label: "dashboard, warm (upstream cache on, store on disk)", spec: GATEWAY_DEFAULT_CONFIG, query: DASHBOARD_QUERY },
  coldDashboard: { label: "dashboard, cold (no upstream cache)", spec: GATEWAY, query: DASHBOARD_QUERY },
} satisfies Record<string, { label: string; spec: TargetSpec; query: string }>;

type Variant = keyof typeof VARIANTS;

/** What this scenario runs against. */
export const CPU_TARGETS: readonly TargetSpec[] = [GATEWAY, GATEWAY_DEFAULT_CONFIG];

export async function cpuPerRequest(context: BenchContext): Promise<ScenarioResult> {
  const { profile } = context;
  const { seconds } = profile.throughput;
  const users = dashboardUserIds(CONNECTIONS, profile.dashboardUsers);
  const names = Object.keys(VARIANTS) as Variant[];
  const variants = Object.fromEntries(
    names.map((n) => [
      n,
      async () => {
        const target = await context.target(VARIANTS[n].spec);
        const load = await graphqlLoad(context, target.url, VARIANTS[n].query, users);
        return measure(context, target, `cpu: ${n}`, { ...load, connections: CONNECTIONS, duration: seconds }, { warmupSeconds: profile.warmupSeconds });
      },
    ]),
  ) as Record<Variant, () => Promise<MeasuredRun>>;
  const runs = await alternate(profile.rounds, variants);
  const cpu = (n: Variant) => medianOf(runs[n], (r) => r.targetCpuMsPerRequest);
  return {
    id: "7",
    title: `Gateway CPU per request, ${CONNECTIONS} connections`,
    tables: [
      {
        columns: ["request", "server CPU ms/req", "req/s", "p50 ms", "mock banks CPU (cores)"],
        rows: names.map((n) => [
          VARIANTS[n].label,
          cpu(n),
          medianOf(runs[n], (r) => r.load.rps),
          medianOf(runs[n], (r) => r.load.latency.p50),
          medianOf(runs[n], (r) => r.mockCores),
        ]),
      },
    ],
    targets: [],
    metrics: { connections: CONNECTIONS, serverCpuMsPerRequest: Object.fromEntries(names.map((n) => [n, cpu(n)])), runs },
    notes: [`medians of ${profile.rounds} alternating round(s) of ${seconds} s each`],
  };
}
