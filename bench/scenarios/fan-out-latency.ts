/**
 * Scenario 1 — fan-out latency. The dashboard of a user linked at all six banks, every bank 50 ms
 * slow, against the critical path without GraphQL: per bank in parallel, accounts, then balances
 * and first pages together (the direct fan-out baseline). Targets: p50 ≤ 1.15×, p99 ≤ 1.5×.
 */
import { directRequestBody } from "../baselines/direct-fanout.js";
import type { BenchContext, Target } from "../support/bench-context.js";
import { DASHBOARD_QUERY } from "../support/dashboard.js";
import type { LoadOptions } from "../support/load.js";
import { alternate, graphqlLoad, measure, medianOf, medianRatio } from "../support/measure.js";
import { ALL_INSTITUTIONS, DASHBOARD_USER, dashboardUserIds } from "../support/population.js";
import { check, type ScenarioResult } from "../support/report.js";
import { assertSameData, directFingerprint, graphqlFingerprint } from "../support/same-data.js";

const DASHBOARD_TRANSACTIONS = 5;

export async function fanOutLatency(context: BenchContext): Promise<ScenarioResult> {
  const { profile } = context;
  const { connections, seconds, bankLatencyMs } = profile.fanOut;
  const [gateway, direct] = await Promise.all([context.target("gateway"), context.target("direct")]);
  const gatewayLoad = await graphqlLoad(context, gateway.url, DASHBOARD_QUERY, dashboardUserIds(connections, context.profile.dashboardUsers));
  const directLoad = { url: direct.url, body: directRequestBody(DASHBOARD_USER.customer, ALL_INSTITUTIONS, DASHBOARD_TRANSACTIONS) };
  const data = assertSameData({
    gateway: await graphqlFingerprint(context, gateway.url, DASHBOARD_QUERY, DASHBOARD_USER.userId),
    direct: await directFingerprint(direct.url, directLoad.body),
  });

  await context.mocks.admin.setLatency(bankLatencyMs);
  let runs;
  try {
    const run = (target: Target, label: string, load: Omit<LoadOptions, "connections">) => () =>
      measure(context, target, label, { ...load, connections, duration: seconds }, { warmupSeconds: profile.warmupSeconds });
    runs = await alternate(profile.rounds, { gateway: run(gateway, "fan-out: gateway", gatewayLoad), direct: run(direct, "fan-out: direct", directLoad) });
  } finally {
    await context.mocks.admin.setLatency(0);
  }

  const summary = (name: "gateway" | "direct") => ({
    p50: medianOf(runs[name], (r) => r.load.latency.p50),
    p99: medianOf(runs[name], (r) => r.load.latency.p99),
    served: runs[name].reduce((n, r) => n + r.load.served, 0),
  });
  const g = summary("gateway");
  const d = summary("direct");
  const p50Ratio = medianRatio(runs.gateway, runs.direct, (r) => r.load.latency.p50);
  const p99Ratio = medianRatio(runs.gateway, runs.direct, (r) => r.load.latency.p99);
  return {
    id: "1",
    title: `Fan-out latency: dashboard over 6 banks, each +${bankLatencyMs} ms, ${connections} connections`,
    tables: [
      {
        columns: ["variant", "p50 ms", "p99 ms", "requests"],
        rows: [
          ["Bankgraph (consent on)", g.p50, g.p99, g.served],
          ["direct parallel calls (no GraphQL)", d.p50, d.p99, d.served],
          ["ratio", p50Ratio, p99Ratio, ""],
        ],
      },
    ],
    targets: [check("fan-out p50 ratio", p50Ratio, "<=", 1.15), check("fan-out p99 ratio", p99Ratio, "<=", 1.5)],
    metrics: { bankLatencyMs, connections, data, gateway: g, direct: d, p50Ratio, p99Ratio, runs },
    notes: [
      `${data.accounts} accounts, ${data.transactions} transactions per answer; latencies: medians of ${profile.rounds} alternating round(s); ratios: median of the rounds' ratios`,
    ],
  };
}
