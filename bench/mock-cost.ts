/**
 * Mock CPU per bank call as history grows: are the mock banks ever the bottleneck?
 *
 *   node --import tsx bench/mock-cost.ts            # 1k, 10k, 100k transactions, 40 calls each
 *   MOCK_COST_HISTORY=1000,100000 MOCK_COST_CALLS=10 MOCK_COST_WARMUP=1 node --import tsx bench/mock-cost.ts
 *
 * The six mock banks run in their own process (bench/support/mock-process.ts) with one customer
 * per point, holding one checking account of N transactions over the bench's 90 days. Each bank
 * is called the way the gateway calls it, through the product's adapters over real HTTP, one call
 * at a time; the figure is the mock process's CPU (user + system) per call, after warm-up calls
 * (the first read of an account generates and indexes its history, once). The accounts call
 * reads no history: it is the fixed cost of one HTTP exchange at the mock (express, JSON, tokens),
 * the floor under every other column.
 */
import { createBankHttp } from "../src/providers/bank-http.js";
import type { BankProvider, BankSession } from "../src/providers/contract.js";
import { PROVIDER_MODULES } from "../src/providers/registry.js";
import { spawnChild } from "./support/child-process.js";
import type { MockReady } from "./support/mock-process.js";
import { historyScaleCustomer } from "./support/population.js";
import type { ProcessUsage } from "./support/child-process.js";
import { bankSession } from "../test/support/bank-session.js";

const HISTORY = (process.env.MOCK_COST_HISTORY ?? "1000,10000,100000").split(",").map(Number);
const CALLS = Number(process.env.MOCK_COST_CALLS ?? 40);
const WARM_UP = Number(process.env.MOCK_COST_WARMUP ?? 3);

const mocks = await spawnChild<MockReady>(new URL("./support/mock-process.ts", import.meta.url), { accounts: [], history: HISTORY });
const cpu = async () => (await mocks.call<ProcessUsage>("usage")).cpuMs;

/** Mock CPU ms per call of `work`, after the warm-up calls. */
async function perCall(work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < WARM_UP; i++) await work();
  const before = await cpu();
  for (let i = 0; i < CALLS; i++) await work();
  // The `usage` round trip itself is one IPC message: negligible against CALLS bank calls.
  return ((await cpu()) - before) / CALLS;
}

const rows: string[][] = [];
try {
  for (const module of PROVIDER_MODULES) {
    const provider: BankProvider = module.create({
      http: createBankHttp({ institutionId: module.id, institutionName: module.name, baseUrl: mocks.ready.urls[module.id]!, timeoutMs: 60_000 }),
    });
    for (const n of HISTORY) {
      const session: BankSession = await bankSession(module.id, mocks.ready.urls[module.id]!, { username: historyScaleCustomer(n) });
      const [account] = await provider.listAccounts(session);
      const ids = [account!.id];
      const [firstPage] = await provider.listTransactions(session, [{ accountId: account!.id, limit: 5 }]);
      const accountsMs = await perCall(() => provider.listAccounts(session));
      const firstPageMs = await perCall(() => provider.listTransactions(session, [{ accountId: account!.id, limit: 5 }]));
      const nextPageMs = await perCall(() => provider.listTransactions(session, [{ accountId: account!.id, limit: 5, cursor: firstPage!.nextCursor }]));
      const rangeMs = await perCall(() => provider.listTransactions(session, [{ accountId: account!.id, limit: 50, from: "2026-01-01", to: "2099-12-31" }]));
      const balancesMs = await perCall(() => provider.getBalances(session, ids));
      rows.push([module.id, String(n), ...[accountsMs, firstPageMs, nextPageMs, rangeMs, balancesMs].map((ms) => ms.toFixed(3))]);
      console.error(`${module.id} ${n}: done`);
    }
  }
} finally {
  await mocks.stop();
}

const header = ["bank", "transactions", "accounts (no history)", "first page of 5", "next page of 5", "50 in a date range", "balances"];
console.log(`Mock CPU ms per bank call (${CALLS} calls after ${WARM_UP} warm-up, one at a time)\n`);
console.log(`| ${header.join(" | ")} |\n|${header.map(() => "---").join("|")}|`);
for (const row of rows) console.log(`| ${row.join(" | ")} |`);
