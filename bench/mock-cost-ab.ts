/**
 * The mock banks' CPU per call, this tree against an earlier one, measured in the same minutes:
 * two mock processes (bench/support/mock-process.ts of each tree) side by side, every bank called
 * in turn at both, before/after order alternating round by round, median of the rounds. On a
 * shared machine whose load swings a whole-table run (bench/mock-cost.ts) by ±30% from one run to
 * the next, this is how a change of 10–20% to the mocks' fixed cost can be seen at all.
 *
 *   rm -rf .ab-before && mkdir .ab-before && git archive <rev> mocks bench src test/support tsconfig.json package.json | tar -x -C .ab-before
 *   node --import tsx bench/mock-cost-ab.ts        # MOCK_AB_ROUNDS (9), MOCK_AB_CALLS (30), MOCK_AB_HISTORY (100000)
 *
 * Prints the medians, then every round's pair (before → after).
 *
 * (.ab-before sits inside the repository so that it resolves the same node_modules.)
 */
import { PROVIDER_MODULES } from "../src/providers/registry.js";
import { spawnChild, type ProcessUsage } from "./support/child-process.js";
import type { MockReady } from "./support/mock-process.js";
import { bankAsCustomer, mockCpuPerCall } from "./support/mock-call-cost.js";
import { historyScaleCustomer } from "./support/population.js";

const ROUNDS = Number(process.env.MOCK_AB_ROUNDS ?? 9);
const CALLS = Number(process.env.MOCK_AB_CALLS ?? 30);
const HISTORY = Number(process.env.MOCK_AB_HISTORY ?? 100_000);
const PROCESS_WARM_UP = 100;
const KINDS = ["accounts (no history)", "first page of 5", "walk, next page of 5 (rows never shown before)", "50 in a date range"] as const;
type Side = "before" | "after";

const start = { accounts: [], history: [HISTORY] };
const options = { nodeFlags: ["--expose-gc"] };
const processes = {
  before: await spawnChild<MockReady>(new URL("../.ab-before/bench/support/mock-process.ts", import.meta.url), start, options),
  after: await spawnChild<MockReady>(new URL("./support/mock-process.ts", import.meta.url), start, options),
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  const calls = { before: {}, after: {} } as Record<Side, Record<string, Array<() => Promise<unknown>>>>;
  for (const side of ["before", "after"] as const) {
    for (const module of PROVIDER_MODULES) {
      const { provider, session, accountId } = await bankAsCustomer(module, processes[side].ready.urls[module.id]!, historyScaleCustomer(HISTORY));
      let cursor: string | null = null;
      calls[side][module.id] = [
        () => provider.listAccounts(session),
        () => provider.listTransactions(session, [{ accountId, limit: 5 }]),
        async () => {
          const [page] = await provider.listTransactions(session, [{ accountId, limit: 5, cursor }]);
          cursor = page?.nextCursor ?? null;
        },
        () => provider.listTransactions(session, [{ accountId, limit: 50, from: "2026-01-01", to: "2099-12-31" }]),
      ];
    }
  }
  // Both processes warm (V8 has compiled the shared HTTP path), as in any benchmark.
  for (let round = 0; round < PROCESS_WARM_UP; round++) {
    for (const side of ["before", "after"] as const) for (const bank of Object.values(calls[side])) for (const call of bank) await call();
  }
  const figures = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    const order: Side[] = round % 2 === 0 ? ["before", "after"] : ["after", "before"];
    for (const module of PROVIDER_MODULES) {
      for (const [kind] of KINDS.entries()) {
        for (const side of order) {
          const cpu = async () => (await processes[side].call<ProcessUsage>("usage")).cpuMs;
          const key = `${module.id}|${kind}|${side}`;
          figures.set(key, [...(figures.get(key) ?? []), await mockCpuPerCall(cpu, calls[side][module.id]![kind]!, CALLS, 3)]);
        }
      }
    }
    console.error(`round ${round + 1} of ${ROUNDS}`);
  }
  console.log(`Mock CPU ms per call at ${HISTORY} transactions, before/after side by side: median of ${ROUNDS} rounds of ${CALLS} calls, order alternating\n`);
  console.log("| bank | call | before | after | after / before |\n|---|---|---|---|---|");
  for (const module of PROVIDER_MODULES) {
    for (const [kind, label] of KINDS.entries()) {
      const before = median(figures.get(`${module.id}|${kind}|before`)!);
      const after = median(figures.get(`${module.id}|${kind}|after`)!);
      console.log(`| ${module.id} | ${label} | ${before.toFixed(3)} | ${after.toFixed(3)} | ${(after / before).toFixed(2)} |`);
    }
  }
  // Each round's pair, before → after, as measured in the same minute.
  console.log("\nPer round, before → after:\n");
  for (const module of PROVIDER_MODULES) {
    for (const [kind, label] of KINDS.entries()) {
      const before = figures.get(`${module.id}|${kind}|before`)!;
      const after = figures.get(`${module.id}|${kind}|after`)!;
      console.log(`${module.id} ${label}: ${before.map((b, round) => `${b.toFixed(2)}→${after[round]!.toFixed(2)}`).join(" ")}`);
    }
  }
} finally {
  await Promise.all([processes.before.stop(), processes.after.stop()]);
}
