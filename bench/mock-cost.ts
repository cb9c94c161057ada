/**
 * Mock CPU per bank call as history grows: are the mock banks ever the bottleneck?
 *
 *   node --import tsx bench/mock-cost.ts            # 1k, 10k, 100k transactions
 *   MOCK_COST_HISTORY=1000,100000 MOCK_COST_BATCHES=3 MOCK_COST_CALLS=10 MOCK_COST_PROCESS_WARMUP=20 node --import tsx bench/mock-cost.ts
 *
 * The six mock banks run in their own process (bench/support/mock-process.ts) with one customer
 * per point, holding one checking account of N transactions over the bench's 90 days. Each bank
 * is called the way the gateway calls it, through the product's adapters over real HTTP, one call
 * at a time; the figure is the mock process's CPU (user + system) per call.
 *
 * Measured warm, as every benchmark sees the mocks (they answer thousands of calls per run):
 * first MOCK_COST_PROCESS_WARMUP rounds of every kind of call at every bank (default 150), because
 * until V8 has compiled the shared HTTP path a call costs two to three times as much; then, per
 * cell, MOCK_COST_WARMUP unmeasured calls (default 20: the first read of an account generates and
 * indexes its history) and MOCK_COST_BATCHES batches of MOCK_COST_CALLS calls (default 7 × 30),
 * of which the median batch is the figure. The accounts call reads no history: it is the fixed
 * cost of one HTTP exchange at the mock (express, JSON, the token check), the floor under every
 * other column.
 */
import type { BankProvider, BankSession } from "../src/providers/contract.js";
import { PROVIDER_MODULES } from "../src/providers/registry.js";
import { spawnChild } from "./support/child-process.js";
import type { MockReady } from "./support/mock-process.js";
import { bankAsCustomer, mockCpuPerCall } from "./support/mock-call-cost.js";
import { historyScaleCustomer } from "./support/population.js";
import type { ProcessUsage } from "./support/child-process.js";

const HISTORY = (process.env.MOCK_COST_HISTORY ?? "1000,10000,100000").split(",").map(Number);
const PROCESS_WARM_UP = Number(process.env.MOCK_COST_PROCESS_WARMUP ?? 150);
const WARM_UP = Number(process.env.MOCK_COST_WARMUP ?? 20);
const BATCHES = Number(process.env.MOCK_COST_BATCHES ?? 7);
const CALLS = Number(process.env.MOCK_COST_CALLS ?? 30);

const COLUMNS = ["accounts (no history)", "first page of 5", "next page of 5", "50 in a date range", "balances"] as const;

/** The five calls of the table, at one bank as one customer. */
async function callsOf(provider: BankProvider, session: BankSession, accountId: string): Promise<Array<() => Promise<unknown>>> {
  const [firstPage] = await provider.listTransactions(session, [{ accountId, limit: 5 }]);
  return [
    () => provider.listAccounts(session),
    () => provider.listTransactions(session, [{ accountId, limit: 5 }]),
    () => provider.listTransactions(session, [{ accountId, limit: 5, cursor: firstPage!.nextCursor }]),
    () => provider.listTransactions(session, [{ accountId, limit: 50, from: "2026-01-01", to: "2099-12-31" }]),
    () => provider.getBalances(session, [accountId]),
  ];
}

const mocks = await spawnChild<MockReady>(
  new URL("./support/mock-process.ts", import.meta.url),
  { accounts: [], history: HISTORY },
  { nodeFlags: ["--expose-gc"] },
);
const cpu = async () => (await mocks.call<ProcessUsage>("usage")).cpuMs;

const rows: string[][] = [];
try {
  const cells: Array<{ bank: string; history: number; calls: Array<() => Promise<unknown>> }> = [];
  for (const module of PROVIDER_MODULES) {
    for (const n of HISTORY) {
      const { provider, session, accountId } = await bankAsCustomer(module, mocks.ready.urls[module.id]!, historyScaleCustomer(n));
      cells.push({ bank: module.id, history: n, calls: await callsOf(provider, session, accountId) });
    }
  }
  const smallest = cells.filter((cell) => cell.history === Math.min(...HISTORY));
  for (let round = 0; round < PROCESS_WARM_UP; round++) for (const cell of smallest) for (const call of cell.calls) await call();
  console.error(`process warmed up: ${PROCESS_WARM_UP} rounds of ${smallest.length * COLUMNS.length} calls`);
  for (const cell of cells) {
    const figures: number[] = [];
    for (const call of cell.calls) figures.push(await mockCpuPerCall(cpu, call, CALLS, WARM_UP, BATCHES));
    rows.push([cell.bank, String(cell.history), ...figures.map((ms) => ms.toFixed(3))]);
    console.error(`${cell.bank} ${cell.history}: done`);
  }
} finally {
  await mocks.stop();
}

const header = ["bank", "transactions", ...COLUMNS];
console.log(
  `Mock CPU ms per bank call: median of ${BATCHES} batches of ${CALLS} calls, after ${WARM_UP} warm-up calls per cell and ${PROCESS_WARM_UP} warm-up rounds of the process; one call at a time\n`,
);
console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
const values = rows.flatMap((row) => row.slice(2).map(Number));
console.log(`\nslowest cell ${Math.max(...values).toFixed(3)} ms; cells over 0.5 ms: ${values.filter((v) => v > 0.5).length} of ${values.length}`);
