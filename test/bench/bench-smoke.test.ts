/**
 * The bench's own smoke test: every scenario runs once with a tiny profile (a second of load,
 * a handful of requests) against real processes — mock banks, gateways, baselines, a cluster on
 * PostgreSQL — and hands back well-formed results. Timings are never asserted (the bench exists
 * for that); what is deterministic is: the upstream call counts, cold and warm.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIOS } from "../../bench/scenarios/index.js";
import { createBenchContext, type BenchContext } from "../../bench/support/bench-context.js";
import { ALL_INSTITUTIONS } from "../../bench/support/population.js";
import type { BenchProfile } from "../../bench/support/profile.js";
import type { ScenarioResult } from "../../bench/support/report.js";

const TINY: BenchProfile = {
  mode: "quick",
  dashboardUsers: 2,
  rounds: 1,
  warmupSeconds: 0,
  // Fan-out goes first, onto a cold gateway: 3 s, so a loaded machine still answers inside the window.
  fanOut: { connections: 2, seconds: 3, bankLatencyMs: 50 },
  efficiency: { concurrent: 3 },
  // Scenarios 3 and 7 measure each server in windows of this length: 3 s, so that under the whole
  // suite's load a cold server still answers inside the window (with 1 s the floor once answered nothing).
  throughput: { connections: 4, seconds: 3 },
  scale: { requests: 2, warmupRequests: 0, accounts: [1, 10], history: [1_000] },
  memory: { connections: 4, firstSeconds: 1, furtherSeconds: 1, furtherSamples: 1, freshProcess: false },
  cluster: { connections: 4, seconds: 1 },
  realtimeLatency: { events: 3, warmup: 1 },
  realtimeIntake: { seconds: 1, people: 2, subs: 2, banks: 1, sampleSeconds: 1, warmupSeconds: 0 },
};

let context: BenchContext;
const results = new Map<string, ScenarioResult>();

beforeAll(async () => {
  context = await createBenchContext({ profile: TINY, log: () => {} });
  await context.prestart(SCENARIOS.flatMap((s) => s.targets(TINY)));
}, 300_000);
afterAll(() => context?.close(), 120_000);

describe.each(SCENARIOS.map((s) => [s.id, s] as const))("bench scenario %s", (id, scenario) => {
  it(`${scenario.name} runs and reports well-formed results`, async () => {
    const result = await scenario.run(context);
    results.set(id, result);

    expect(result.id).toBe(id);
    expect(result.title.length).toBeGreaterThan(0);
    expect(result.tables.length).toBeGreaterThan(0);
    for (const table of result.tables) {
      expect(table.rows.length).toBeGreaterThan(0);
      for (const row of table.rows) {
        expect(row).toHaveLength(table.columns.length);
        for (const cell of row) if (typeof cell === "number") expect(Number.isFinite(cell)).toBe(true);
      }
    }
    for (const target of result.targets) {
      expect(Number.isFinite(target.measured)).toBe(true);
      expect(target.met).toBe(target.op === "<=" ? target.measured <= target.limit : target.measured >= target.limit);
    }
    expect(JSON.parse(JSON.stringify(result.metrics))).toEqual(expect.any(Object));
  }, 300_000);
});

it("counts one cold bank call per bank and resource kind for the dashboard", () => {
  const efficiency = results.get("2");
  expect(efficiency, "scenario 2 must have run").toBeDefined();
  const cold = efficiency!.metrics["cold"] as Record<string, { byKind: Record<string, number> }>;
  for (const institution of ALL_INSTITUTIONS) {
    expect(cold[institution]!.byKind).toEqual({ accounts: 1, balances: 1, transactions: 1 });
  }
});

it("answers the same dashboard again within the freshness window without a bank call", () => {
  const warm = results.get("2")!.metrics["warm"] as Record<string, { total: number }>;
  expect(Object.values(warm).reduce((n, c) => n + c.total, 0)).toBe(0);
});

it("reads the first transactions page with one bank call", () => {
  const scale = results.get("4");
  expect(scale, "scenario 4 must have run").toBeDefined();
  const history = scale!.metrics["history"] as Array<{ size: number; bankCalls: number }>;
  expect(history.map((p) => [p.size, p.bankCalls])).toEqual([[1_000, 1]]);
});
