/**
 * Scenario 2 — upstream efficiency. Bank calls (counted by the mock banks themselves) for one
 * dashboard query cold, the same query again right away (warm: inside the cache's freshness
 * window), and N identical queries at once from a fresh user. Gateway in its default config.
 * Targets: cold = one call per bank per resource kind; warm = 0.
 */
import { GATEWAY_DEFAULT_CONFIG, type BenchContext, type Target } from "../support/bench-context.js";
import { DASHBOARD_QUERY, graphqlBody, postJson } from "../support/dashboard.js";
import type { BankCalls } from "../support/mock-admin.js";
import { ALL_INSTITUTIONS, EFFICIENCY_USERS } from "../support/population.js";
import { check, type ScenarioResult } from "../support/report.js";
import { round } from "../support/stats.js";

type Calls = Record<string, BankCalls>;

export async function upstreamEfficiency(context: BenchContext): Promise<ScenarioResult> {
  const { concurrent } = context.profile.efficiency;
  const gateway = await context.target(GATEWAY_DEFAULT_CONFIG);
  const admin = context.mocks.admin;
  const measureCalls = async (work: () => Promise<unknown>): Promise<Calls> => {
    await context.quiesce(); // the mocks count every caller: let earlier load drain first
    await admin.resetCalls();
    await work();
    return admin.calls();
  };

  const sequential = EFFICIENCY_USERS.sequential.userId;
  const cold = await measureCalls(() => dashboard(context, gateway, sequential));
  const warm = await measureCalls(() => dashboard(context, gateway, sequential));
  const together = await measureCalls(() =>
    Promise.all(Array.from({ length: concurrent }, () => dashboard(context, gateway, EFFICIENCY_USERS.concurrent.userId))),
  );

  const kinds = [...new Set(Object.values(cold).flatMap((c) => Object.keys(c.byKind)))].sort();
  const total = (calls: Calls) => Object.values(calls).reduce((n, c) => n + c.total, 0);
  const coldMaxPerKind = Math.max(0, ...Object.values(cold).flatMap((c) => Object.values(c.byKind)));
  const banksWithoutCalls = ALL_INSTITUTIONS.filter((id) => (cold[id]?.total ?? 0) === 0);
  return {
    id: "2",
    title: `Upstream efficiency: bank calls per dashboard query (default config, upstream cache on)`,
    tables: [
      {
        columns: ["bank", ...kinds.map((k) => `cold ${k}`), "warm total", `${concurrent} concurrent total`],
        rows: [
          ...ALL_INSTITUTIONS.map((id) => [id, ...kinds.map((k) => cold[id]?.byKind[k] ?? 0), warm[id]?.total ?? 0, together[id]?.total ?? 0]),
          ["all banks", ...kinds.map((k) => Object.values(cold).reduce((n, c) => n + (c.byKind[k] ?? 0), 0)), total(warm), total(together)],
        ],
      },
    ],
    targets: [check("cold: most calls to one bank for one resource kind", coldMaxPerKind, "<=", 1), check("warm: bank calls", total(warm), "<=", 0)],
    metrics: { cold, warm, concurrent: { queries: concurrent, calls: together, callsPerQuery: round(total(together) / concurrent, 2) } },
    notes: [
      `${concurrent} identical queries at once made ${total(together)} bank calls (${round(total(together) / concurrent, 2)} per query; one cold query makes ${total(cold)})`,
      ...(banksWithoutCalls.length ? [`no cold calls reached ${banksWithoutCalls.join(", ")}: check the dashboard answer`] : []),
    ],
  };
}

/** One dashboard query as `userId`; throws unless it answered without errors. */
async function dashboard(context: BenchContext, gateway: Target, userId: string): Promise<void> {
  const answer = await postJson<{ errors?: unknown[] }>(gateway.url, graphqlBody(DASHBOARD_QUERY), { authorization: `Bearer ${await context.token(userId)}` });
  if (answer.errors?.length) throw new Error(`dashboard as ${userId}: ${JSON.stringify(answer.errors).slice(0, 500)}`);
}
