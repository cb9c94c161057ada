/**
 * The dashboard query (every account with balance and last 10 transactions, across six banks)
 * costs at most one upstream call per bank per resource kind, and the banks are called in
 * parallel — proved with the mock banks' own call counters and request logs, not by timing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockBankRequest } from "../../mocks/mock-bank-server.js";
import { BANK_IDS, DASHBOARD_QUERY, linkedUser, PATIENT_ENV, UNCACHED_ENV, type DashboardAccount } from "../support/dashboard.js";
import { bankRows, dedupe, listed } from "../support/expected-transactions.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";

let t: TestGateway;
let user: TestUser;

beforeAll(async () => {
  // No upstream cache: every dashboard below must reach the banks, so their calls can be counted.
  t = await startTestGateway({ env: { ...UNCACHED_ENV, ...PATIENT_ENV } });
  user = await linkedUser(t, "dashboard");
});
afterAll(() => t?.close());

/** Upstream calls the dashboard must make at a bank: receipts only when a listed row has one. */
function expectedCalls(bank: string): Record<string, number> {
  const mock = t.mocks.bank(bank);
  const keeps = mock.definition.listsSupersededPending;
  const needsReceipts = mock.data.accountsOf("alice").some((a) =>
    mock.data
      .recordsOf(a.id, { includeSupersededPending: keeps })
      .slice(0, 10)
      .some((r) => r.receiptId !== null),
  );
  return { accounts: 1, balances: 1, transactions: 1, ...(needsReceipts ? { receipts: 1 } : {}) };
}

async function runDashboard(): Promise<DashboardAccount[]> {
  const response = await t.gql<{ accounts: DashboardAccount[] }>(DASHBOARD_QUERY, {}, user.app);
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.accounts;
}

describe("dashboard over six banks", () => {
  it("returns every account of every bank with its balance and last 10 transactions", async () => {
    const accounts = await runDashboard();
    expect(accounts.length).toBeGreaterThan(0);
    for (const bank of BANK_IDS) {
      const mine = accounts.filter((a) => a.institution.id === bank);
      const mock = t.mocks.bank(bank).data.accountsOf("alice");
      expect(mine.map((a) => [a.name, a.mask]).sort()).toEqual(mock.map((m) => [m.name, m.number.slice(-4)]).sort());
      for (const account of mine) {
        const source = mock.find((m) => m.name === account.name)!;
        expect(account.balance).not.toBeNull();
        // An exact page: the first 10 of the bank's listing once pending rows their posted row (listed above) replaced are gone.
        const expected = dedupe(bankRows(t.mocks.bank(bank), source.id))
          .slice(0, 10)
          .map((r) => listed(r));
        expect(account.transactions!.nodes.map(({ status, date, amount }) => ({ status, date, amount }))).toEqual(expected);
      }
    }
  });

  it("marks the answer private: no-store, and no ETag for a cache to key on", async () => {
    const response = await t.gql(DASHBOARD_QUERY, {}, user.app);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("etag")).toBeNull();
    // Refusals too.
    const refused = await t.gql(DASHBOARD_QUERY, {}, "not-a-token");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("cache-control")).toBe("no-store");
  });

  it.each(BANK_IDS)("makes exactly one upstream call per resource kind at %s", async (bank) => {
    t.resetBankCalls();
    await runDashboard();
    expect(t.bankCalls()[bank]).toEqual({ total: Object.values(expectedCalls(bank)).reduce((a, b) => a + b, 0), byKind: expectedCalls(bank) });
  });

  it("calls the six banks in parallel: each phase's calls all start before any of them finishes", async () => {
    for (const bank of BANK_IDS) await t.mocks.bank(bank).setFaults({ latencyMs: 300 });
    try {
      t.resetBankCalls();
      await runDashboard();
    } finally {
      for (const bank of BANK_IDS) await t.mocks.bank(bank).resetFaults();
    }
    const log = new Map(BANK_IDS.map((bank) => [bank, t.mocks.bank(bank).requestLog()]));
    const phase = (kinds: string[]): MockBankRequest[] => [...log.values()].flatMap((calls) => calls.filter((c) => c.kind !== null && kinds.includes(c.kind)));

    const accountCalls = phase(["accounts"]);
    const dataCalls = phase(["balances", "transactions"]);
    expect(accountCalls).toHaveLength(6);
    expect(dataCalls).toHaveLength(12);
    for (const calls of [accountCalls, dataCalls]) {
      const lastStart = Math.max(...calls.map((c) => c.startedAt));
      const firstEnd = Math.min(...calls.map((c) => c.endedAt!));
      expect(lastStart).toBeLessThan(firstEnd);
    }
  });
});
