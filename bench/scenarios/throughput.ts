/**
 * Scenario 3 — throughput. The dashboard at 32 connections (one user per connection), banks at
 * full speed. Bankgraph with consent on and off against two baselines over the same store, loaders
 * and adapters: plain Apollo Server 5 + graphql-js, and mercurius + graphql-jit. All without an
 * upstream cache TTL and with the store in memory, so every variant makes the same bank calls;
 * Bankgraph's default config (cache on, store on disk) is shown beside them for information.
 * Targets: Bankgraph ≥ 0.9× plain Apollo; consent costs ≤ 10%.
 */
import { GATEWAY, GATEWAY_DEFAULT_CONFIG, type BenchContext, type Target, type TargetSpec } from "../support/bench-context.js";
import { DASHBOARD_QUERY } from "../support/dashboard.js";
import { alternate, graphqlLoad, measure, medianOf, medianRatio, type MeasuredRun } from "../support/measure.js";
import { DASHBOARD_USER, dashboardUserIds } from "../support/population.js";
import { check, type ScenarioResult } from "../support/report.js";
import { assertSameData, graphqlFingerprint } from "../support/same-data.js";
import { round } from "../support/stats.js";

const VARIANTS = {
  consentOn: { label: "Bankgraph, consent on", spec: GATEWAY },
  consentOff: { label: "Bankgraph, consent off", spec: { kind: "gateway-consent-off" } },
  apollo: { label: "plain Apollo Server 5 + graphql-js", spec: { kind: "apollo-plain" } },
  mercurius: { label: "mercurius + graphql-jit", spec: { kind: "mercurius-jit" } },
  defaultConfig: { label: "Bankgraph, default config (upstream cache on, store on disk)", spec: GATEWAY_DEFAULT_CONFIG },
} satisfies Record<string, { label: string; spec: TargetSpec }>;

type Variant = keyof typeof VARIANTS;

/** What this scenario runs against. */
export const THROUGHPUT_TARGETS: readonly TargetSpec[] = Object.values(VARIANTS).map((v) => v.spec);

export async function throughput(context: BenchContext): Promise<ScenarioResult> {
  const { profile } = context;
  const { connections, seconds } = profile.throughput;
  const names = Object.keys(VARIANTS) as Variant[];
  const targets = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await context.target(VARIANTS[n].spec)] as const))) as Record<
    Variant,
    Target
  >;
  const data = assertSameData(
    Object.fromEntries(
      await Promise.all(names.map(async (n) => [n, await graphqlFingerprint(context, targets[n].url, DASHBOARD_QUERY, DASHBOARD_USER.userId)] as const)),
    ),
  );

  const users = dashboardUserIds(connections, context.profile.dashboardUsers);
  const variants = Object.fromEntries(
    names.map((n) => [
      n,
      async () =>
        measure(
          context,
          targets[n],
          `throughput: ${n}`,
          { ...(await graphqlLoad(context, targets[n].url, DASHBOARD_QUERY, users)), connections, duration: seconds },
          { warmupSeconds: profile.warmupSeconds },
        ),
    ]),
  ) as Record<Variant, () => Promise<MeasuredRun>>;
  const runs = await alternate(profile.rounds, variants);

  const rps = (n: Variant) => medianOf(runs[n], (r) => r.load.rps);
  const row = (n: Variant) => [
    VARIANTS[n].label,
    rps(n),
    medianOf(runs[n], (r) => r.load.latency.p50),
    medianOf(runs[n], (r) => r.load.latency.p99),
    medianRatio(runs[n], runs.apollo, (r) => r.load.rps),
    medianOf(runs[n], (r) => r.targetCpuMsPerRequest),
    medianOf(runs[n], (r) => r.targetCores),
    medianOf(runs[n], (r) => r.mockCores),
  ];
  const versusApollo = medianRatio(runs.consentOn, runs.apollo, (r) => r.load.rps);
  const consentCost = round(1 - medianRatio(runs.consentOn, runs.consentOff, (r) => r.load.rps), 3);
  const mercuriusVersusApollo = medianRatio(runs.mercurius, runs.apollo, (r) => r.load.rps);
  return {
    id: "3",
    title: `Throughput: dashboard, ${connections} connections, no added bank latency`,
    tables: [
      {
        columns: ["variant", "req/s", "p50 ms", "p99 ms", "× plain Apollo", "server CPU ms/req", "server CPU (cores)", "mock banks CPU (cores)"],
        rows: names.map(row),
      },
    ],
    targets: [check("Bankgraph (consent on) / plain Apollo", versusApollo, ">=", 0.9), check("consent enforcement cost (1 − on/off)", consentCost, "<=", 0.1)],
    metrics: {
      connections,
      data,
      requestsPerSecond: Object.fromEntries(names.map((n) => [n, rps(n)])),
      serverCpuMsPerRequest: Object.fromEntries(names.map((n) => [n, medianOf(runs[n], (r) => r.targetCpuMsPerRequest)])),
      versusApollo,
      consentCost,
      mercuriusVersusApollo,
      bankgraphVersusMercurius: medianRatio(runs.consentOn, runs.mercurius, (r) => r.load.rps),
      runs,
    },
    notes: [
      `mercurius + graphql-jit stands at ${mercuriusVersusApollo}× plain Apollo; Bankgraph (consent on) at ${medianRatio(runs.consentOn, runs.mercurius, (r) => r.load.rps)}× mercurius`,
      `each answer: ${data.accounts} accounts, ${data.transactions} transactions; medians of ${profile.rounds} alternating round(s) of ${seconds} s; ratios: median of the rounds' ratios`,
      "the machine has few cores: the mock banks, the load generator and the server share them (see the CPU columns)",
    ],
  };
}
