/**
 * The provider contract, once for every bank: six wire formats, one normalized shape. Each
 * adapter talks over real HTTP to its mock bank.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { AccountType, TransactionStatus } from "../../src/domain/model.js";
import { minorFromDecimal } from "../../src/domain/money.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import type { BankProvider, BankSession } from "../../src/providers/contract.js";
import { ProviderError } from "../../src/providers/provider-error.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";

let cluster: MockCluster;
const ANCHOR = new Date("2026-06-15T00:00:00Z");

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: ANCHOR });
});
afterAll(async () => {
  await cluster?.close();
});

function providerFor(id: string): BankProvider {
  const module = PROVIDER_MODULES.find((m) => m.id === id)!;
  return module.create({ http: createBankHttp({ institutionId: id, institutionName: module.name, baseUrl: cluster.urls[id]!, timeoutMs: 2000 }) });
}

const DECIMAL = /^-?\d+\.\d{2}$/;

describe.each(PROVIDER_MODULES.map((m) => [m.id]))("provider %s", (id) => {
  let provider: BankProvider;
  let session: BankSession;

  beforeAll(async () => {
    provider = providerFor(id);
    session = await provider.authenticate({ username: "alice", password: "pass_good" });
  });

  it("rejects a wrong password as INVALID_CREDENTIALS", async () => {
    const error = await provider.authenticate({ username: "alice", password: "nope" }).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("INVALID_CREDENTIALS");
  });

  it("maps a revoked token to LOGIN_REQUIRED", async () => {
    const error = await provider.listAccounts({ accessToken: "forged.token" }).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("LOGIN_REQUIRED");
  });

  it("lists accounts with a mask, never the full number", async () => {
    const accounts = await provider.listAccounts(session);
    const mock = cluster.bank(id).data.accountsOf("alice");
    expect(accounts.map((a) => a.id).sort()).toEqual(mock.map((a) => a.id).sort());
    for (const account of accounts) {
      const source = mock.find((m) => m.id === account.id)!;
      expect(Object.values(AccountType)).toContain(account.type);
      expect(account.mask).toBe(source.number.slice(-4));
      expect(JSON.stringify(account)).not.toContain(source.number);
      expect(account.currency).toBe("USD");
      expect(account.name).toBe(source.name);
    }
  });

  it("returns balances for many accounts in one call, as decimal strings", async () => {
    const accounts = await provider.listAccounts(session);
    cluster.bank(id).resetCallCounts();
    const balances = await provider.getBalances(session, accounts.map((a) => a.id));
    expect(cluster.bank(id).callCounts().total).toBe(1);
    expect(balances.map((b) => b.accountId).sort()).toEqual(accounts.map((a) => a.id).sort());
    for (const balance of balances) {
      const expected = cluster.bank(id).data.balanceOf(balance.accountId);
      expect(balance.current.amount).toMatch(DECIMAL);
      expect(minorFromDecimal(balance.current.amount, "USD")).toBe(BigInt(expected.currentMinor));
      if (expected.availableMinor !== null) {
        expect(minorFromDecimal(balance.available!.amount, "USD")).toBe(BigInt(expected.availableMinor));
      }
      expect(balance.asOf).toBeInstanceOf(Date);
    }
  });

  it("pages transactions newest first for several accounts in one call, matching the bank's data", async () => {
    const accounts = await provider.listAccounts(session);
    cluster.bank(id).resetCallCounts();
    const pages = await provider.listTransactions(session, accounts.map((a) => ({ accountId: a.id, limit: 10 })));
    expect(cluster.bank(id).callCounts().total).toBe(1);
    expect(pages.map((p) => p.accountId)).toEqual(accounts.map((a) => a.id));
    const keeps = cluster.bank(id).definition.listsSupersededPending;
    for (const page of pages) {
      const expected = cluster.bank(id).data.recordsOf(page.accountId, { includeSupersededPending: keeps }).slice(0, 10);
      expect(page.items.map((t) => t.id)).toEqual(expected.map((r) => r.id));
      page.items.forEach((t, i) => {
        const r = expected[i]!;
        expect(t.accountId).toBe(page.accountId);
        expect(t.status).toBe(r.status === "posted" ? TransactionStatus.POSTED : TransactionStatus.PENDING);
        expect(minorFromDecimal(t.amount.amount, "USD")).toBe(BigInt(r.amountMinor));
        expect(t.amount.amount).toMatch(DECIMAL);
        expect(t.date).toBe(r.date.toISOString().slice(0, 10));
        expect(t.pendingTransactionId).toBe(r.status === "posted" ? r.pendingId : null);
        expect(t.receiptId).toBe(r.receiptId);
        expect(t.merchant?.name ?? null).toBe(r.merchant?.name ?? null);
      });
      expect(page.nextCursor).not.toBeNull();
    }
  });

  it("follows the bank's native paging to the end of a date range without gaps or repeats", async () => {
    const [account] = await provider.listAccounts(session);
    const from = "2026-03-01";
    const to = "2026-04-30";
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const [page] = await provider.listTransactions(session, [{ accountId: account!.id, from, to, cursor, limit: 25 }]);
      seen.push(...page!.items.map((t) => t.id));
      cursor = page!.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    const keeps = cluster.bank(id).definition.listsSupersededPending;
    const expected = cluster.bank(id).data
      .recordsOf(account!.id, { includeSupersededPending: keeps, from: new Date(`${from}T00:00:00Z`), to: new Date(`${to}T23:59:59.999Z`) })
      .map((r) => r.id);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(expected);
  });

  it("returns receipts with line items and shipments where the bank has them", async () => {
    const accounts = await provider.listAccounts(session);
    if (!provider.capabilities.receipts) {
      expect(await provider.listReceipts(session, accounts.map((a) => a.id), 5)).toEqual([]);
      return;
    }
    const receipts = await provider.listReceipts(session, accounts.map((a) => a.id), 5);
    expect(receipts.length).toBeGreaterThan(0);
    const byId = await provider.getReceipts(session, receipts.map((r) => r.id));
    expect(byId.map((r) => r.id).sort()).toEqual(receipts.map((r) => r.id).sort());
    for (const receipt of byId) {
      const source = cluster.bank(id).data.receipt(receipt.id)!;
      expect(receipt.transactionId).toBe(source.transactionId);
      expect(minorFromDecimal(receipt.total.amount, "USD")).toBe(BigInt(source.totalMinor));
      expect(receipt.items).toHaveLength(source.items.length);
      expect(receipt.shipment?.trackingNumber).toBe(source.shipment?.trackingNumber);
      expect(receipt.shipment?.status).toBe(source.shipment?.status.toUpperCase());
    }
  });

  it("returns the account owner's identity", async () => {
    const accounts = await provider.listAccounts(session);
    const owners = await provider.getOwners(session, accounts.map((a) => a.id));
    expect(owners).toHaveLength(accounts.length);
    expect(owners[0]!.name).toBe(cluster.bank(id).data.customer("alice")!.name);
  });

  it("never serves another customer's account", async () => {
    const bobs = cluster.bank(id).data.accountsOf("bob");
    const balances = await provider.getBalances(session, bobs.map((a) => a.id)).catch(() => []);
    expect(balances).toEqual([]);
  });
});
