/**
 * The mock banks are never the bottleneck: a page costs O(page), not O(history). Each bank is
 * called through its adapter over real HTTP for the first page, a continuation and a balance of
 * an account holding 1,000 and one holding 30,000 transactions; the CPU per call at 30k must stay
 * within a small factor of the one at 1k (it was ~15× when every call sorted the whole history).
 * The 100k figures are `npm run bench`'s (bench/mock-cost.ts); 30k keeps this test's setup short.
 * A ratio, never absolute milliseconds: the machine's speed and load cancel out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import type { BankProvider, BankSession } from "../../src/providers/contract.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { bankSession } from "../support/bank-session.js";

const SMALL = 1_000;
const LARGE = 30_000;
const HISTORY_DAYS = 90;
const customerOf = (n: number) => `history-${n}`;

let cluster: MockCluster;

beforeAll(async () => {
  cluster = await startMockCluster({
    anchor: new Date("2026-06-15T00:00:00Z"),
    historyDays: HISTORY_DAYS,
    customers: [SMALL, LARGE].map((n) => ({
      id: customerOf(n),
      products: [{ kind: "checking" as const, name: "History Checking" }],
      transactionsPerDay: n / HISTORY_DAYS,
    })),
  });
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

/** CPU ms (this process: client and mock alike) per call: the least of a few batches, so a stray GC or a busy neighbour does not decide. */
async function cpuPerCall(work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await work();
  let best = Infinity;
  for (let batch = 0; batch < 4; batch++) {
    const before = process.cpuUsage();
    for (let i = 0; i < 8; i++) await work();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000 / 8);
  }
  return best;
}

describe.each(PROVIDER_MODULES.map((m) => [m.id]))("mock bank %s", (id) => {
  let provider: BankProvider;

  beforeAll(() => {
    const module = PROVIDER_MODULES.find((m) => m.id === id)!;
    provider = module.create({ http: createBankHttp({ institutionId: id, institutionName: module.name, baseUrl: cluster.urls[id]!, timeoutMs: 30_000 }) });
    // Build each history and its index once, before any HTTP: here the test and the mock share
    // one event loop, and seconds of generation would outlast the keep-alive of idle sockets.
    const bank = cluster.bank(id);
    for (const n of [SMALL, LARGE]) {
      for (const account of bank.data.accountsOf(customerOf(n))) {
        bank.data.listing(account.id, bank.definition.listsSupersededPending);
        bank.data.balanceOf(account.id);
      }
    }
  }, 60_000);

  it("serves a page and a balance of a 30k history at about the cost of a 1k one", async () => {
    const costs: Record<number, number> = {};
    for (const n of [SMALL, LARGE]) {
      const session: BankSession = await bankSession(id, cluster.urls[id]!, { username: customerOf(n) });
      const [account] = await provider.listAccounts(session);
      expect(cluster.bank(id).data.recordsOf(account!.id, { includeSupersededPending: false }).length).toBeGreaterThan(n * 0.9);
      const [first] = await provider.listTransactions(session, [{ accountId: account!.id, limit: 5 }]);
      costs[n] = await cpuPerCall(async () => {
        await provider.listTransactions(session, [{ accountId: account!.id, limit: 5 }]);
        await provider.listTransactions(session, [{ accountId: account!.id, limit: 5, cursor: first!.nextCursor }]);
        await provider.getBalances(session, [account!.id]);
      });
    }
    expect(costs[LARGE]! / costs[SMALL]!, `CPU per call: ${costs[SMALL]!.toFixed(2)} ms at 1k, ${costs[LARGE]!.toFixed(2)} ms at 30k`).toBeLessThan(3);
  }, 120_000);
});
