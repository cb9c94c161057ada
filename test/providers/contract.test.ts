/**
 * The provider contract, once for every bank: six wire formats, one normalized shape. Each
 * adapter talks over real HTTP to its mock bank.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { AccountType, ShipmentStatus, TransactionStatus, type Receipt } from "../../src/domain/model.js";
import { minorFromDecimal } from "../../src/domain/money.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import type { BankProvider, BankSession } from "../../src/providers/contract.js";
import { ProviderError } from "../../src/providers/provider-error.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { bankSession } from "../support/bank-session.js";

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
/** E.164, written out here rather than imported, so the test does not trust the code it checks. */
const E164 = /^\+[1-9]\d{7,14}$/;
const ADDRESS_KEYS = ["city", "country", "line1", "line2", "postalCode", "region"];
const DELIVERY_STEPS = new Set([ShipmentStatus.OUT_FOR_DELIVERY, ShipmentStatus.DELIVERED]);

describe.each(PROVIDER_MODULES.map((m) => [m.id]))("provider %s", (id) => {
  let provider: BankProvider;
  let session: BankSession;

  beforeAll(async () => {
    provider = providerFor(id);
    session = await bankSession(id, cluster.urls[id]!);
  });

  it("sees only the accounts the person chose at the bank", async () => {
    const all = cluster
      .bank(id)
      .data.accountsOf("alice")
      .map((a) => a.id);
    const kept = all.slice(1);
    const narrowed = await bankSession(id, cluster.urls[id]!, { chooseAccounts: (offered) => offered.map((o) => o.id).filter((o) => kept.includes(o)) });
    expect((await provider.listAccounts(narrowed)).map((a) => a.id).sort()).toEqual([...kept].sort());
    expect(kept.length).toBeGreaterThan(0);
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
    const balances = await provider.getBalances(
      session,
      accounts.map((a) => a.id),
    );
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
    const pages = await provider.listTransactions(
      session,
      accounts.map((a) => ({ accountId: a.id, limit: 10 })),
    );
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
        // The authorization, on posted rows too (to the bank's precision: Citi gives the day).
        expect(t.authorizedAt?.toISOString().slice(0, 10)).toBe(r.authorizedAt.toISOString().slice(0, 10));
        if (t.status === TransactionStatus.PENDING && t.timestamp) expect(t.authorizedAt).toEqual(t.timestamp);
        expect(t.receiptId).toBe(r.receiptId);
        expect(t.merchant?.name ?? null).toBe(r.merchant?.name ?? null);
      });
      expect(page.nextCursor).not.toBeNull();
    }
  });

  it("lists a purchase that posts as posted on the very next read of the page that showed it pending", async () => {
    // The mocks render each listed row once and reuse it (mocks/data/rendered-rows.ts): a posting must still show at once.
    const bank = cluster.bank(id);
    const account = bank.data.accountsOf("alice")[0]!;
    const purchase = bank.data.addPendingPurchase(account.id, bank.data.now(), 98_76);
    const ours = async () => {
      const [page] = await provider.listTransactions(session, [{ accountId: account.id, limit: 5 }]);
      return page!.items.filter((t) => minorFromDecimal(t.amount.amount, "USD") === -9876n);
    };
    expect((await ours()).map((t) => t.status)).toEqual([TransactionStatus.PENDING]);
    bank.data.post(purchase.id, bank.data.now());
    const after = (await ours()).map((t) => t.status);
    expect(after).toContain(TransactionStatus.POSTED);
    expect(after).toEqual(provider.capabilities.keepsReplacedPending ? [TransactionStatus.POSTED, TransactionStatus.PENDING] : [TransactionStatus.POSTED]);
  });

  it("says whether the bank keeps a replaced pending row listed, as the bank does", () => {
    expect(provider.capabilities.keepsReplacedPending).toBe(cluster.bank(id).definition.listsSupersededPending);
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
    const expected = cluster
      .bank(id)
      .data.recordsOf(account!.id, { includeSupersededPending: keeps, from: new Date(`${from}T00:00:00Z`), to: new Date(`${to}T23:59:59.999Z`) })
      .map((r) => r.id);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(expected);
  });

  it("returns receipts with line items and shipments where the bank has them", async () => {
    const accounts = await provider.listAccounts(session);
    if (!provider.capabilities.receipts) {
      expect(
        await provider.listReceipts(
          session,
          accounts.map((a) => a.id),
          5,
        ),
      ).toEqual([]);
      return;
    }
    const receipts = await provider.listReceipts(
      session,
      accounts.map((a) => a.id),
      5,
    );
    expect(receipts.length).toBeGreaterThan(0);
    const byId = await provider.getReceipts(
      session,
      receipts.map((r) => r.id),
    );
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
    const owners = await provider.getOwners(
      session,
      accounts.map((a) => a.id),
    );
    expect(owners).toHaveLength(accounts.length);
    expect(owners[0]!.name).toBe(cluster.bank(id).data.customer("alice")!.name);
  });

  it("gives the owner's phone in E.164 and the address in the one shape, the same person as at the bank", async () => {
    const accounts = await provider.listAccounts(session);
    const owners = await provider.getOwners(
      session,
      accounts.map((a) => a.id),
    );
    const alice = cluster.bank(id).data.customer("alice")!;
    for (const owner of owners) {
      expect(owner.phone).toMatch(E164);
      expect(owner.phone).toBe(`+${alice.phone.replace(/\D/g, "")}`);
      const address = owner.address!;
      expect(Object.keys(address).sort()).toEqual(ADDRESS_KEYS);
      expect(address.line2 === null || (address.line2.trim() === address.line2 && address.line2 !== "")).toBe(true);
      for (const key of ["line1", "city", "region", "postalCode", "country"] as const) {
        expect(address[key]).toBe(address[key].trim());
        expect(address[key]).not.toBe("");
      }
      expect(address.region).toMatch(/^[A-Z]{2}$/);
      expect(address.country).toMatch(/^[A-Z]{2}$/);
      expect(address).toEqual({ ...alice.address, line2: alice.address.line2 ?? null });
    }
  });

  it("dates nothing after the bank's clock: transactions, balances, receipts and scans", async () => {
    const clock = cluster.bank(id).data;
    const accounts = await provider.listAccounts(session);
    const startedAt = clock.now().getTime();
    const balances = await provider.getBalances(
      session,
      accounts.map((a) => a.id),
    );
    for (const balance of balances) expect(balance.asOf.getTime()).toBeLessThanOrEqual(clock.now().getTime());
    const today = new Date(startedAt).toISOString().slice(0, 10);
    const pages = await provider.listTransactions(
      session,
      accounts.map((a) => ({ accountId: a.id, limit: 200 })),
    );
    for (const page of pages) {
      expect(page.items.length).toBeGreaterThan(0);
      for (const t of page.items) {
        expect(t.date <= today, `${t.id} dated ${t.date}, after ${today}`).toBe(true);
        if (t.timestamp) expect(t.timestamp.getTime()).toBeLessThanOrEqual(startedAt);
      }
    }
    for (const receipt of await allReceipts()) {
      expect(receipt.issuedAt.getTime()).toBeLessThanOrEqual(startedAt);
      for (const update of receipt.shipment?.updates ?? []) expect(update.at.getTime()).toBeLessThanOrEqual(startedAt);
    }
  });

  it("moves every parcel along one route: scans in time order, delivery scans in the owner's city, plausible statuses", async () => {
    const receipts = await allReceipts();
    if (!provider.capabilities.receipts) return void expect(receipts).toEqual([]);
    const accounts = await provider.listAccounts(session);
    const [owner] = await provider.getOwners(
      session,
      accounts.map((a) => a.id),
    );
    const home = `${owner!.address!.city}, ${owner!.address!.region}`;
    const now = cluster.bank(id).data.now().getTime();
    const shipments = receipts.flatMap((r) => (r.shipment ? [{ receipt: r, shipment: r.shipment }] : []));
    expect(shipments.length).toBeGreaterThan(20);
    for (const { shipment } of shipments) {
      const times = shipment.updates.map((u) => u.at.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(shipment.updates[0]?.status).toBe(ShipmentStatus.LABEL_CREATED);
      expect(shipment.status).toBe(shipment.updates.at(-1)!.status);
      for (const update of shipment.updates.filter((u) => DELIVERY_STEPS.has(u.status))) expect(update.location).toBe(home);
      // One route: once at the destination, a parcel is scanned nowhere else.
      const arrived = shipment.updates.findIndex((u) => u.location === home);
      if (arrived >= 0) expect(shipment.updates.slice(arrived).every((u) => u.location === home)).toBe(true);
    }
    // A parcel ordered more than two weeks ago has long arrived (or, rarely, gone back).
    const old = shipments.filter(({ receipt }) => now - receipt.issuedAt.getTime() > 14 * 86_400_000);
    const settled = old.filter(({ shipment }) => shipment.status === ShipmentStatus.DELIVERED || shipment.status === ShipmentStatus.EXCEPTION);
    expect(settled).toHaveLength(old.length);
    expect(old.filter(({ shipment }) => shipment.status === ShipmentStatus.DELIVERED).length / old.length).toBeGreaterThan(0.9);
    // Out for delivery is a matter of hours: at most a couple of parcels at any moment.
    expect(shipments.filter(({ shipment }) => shipment.status === ShipmentStatus.OUT_FOR_DELIVERY).length).toBeLessThanOrEqual(2);
  });

  /** Every receipt of alice's accounts the bank lists (empty where the bank has none). */
  async function allReceipts(): Promise<Receipt[]> {
    const accounts = await provider.listAccounts(session);
    const listed = await provider.listReceipts(
      session,
      accounts.map((a) => a.id),
      500,
    );
    return listed.length
      ? provider.getReceipts(
          session,
          listed.map((r) => r.id),
        )
      : [];
  }

  it("never serves another customer's account", async () => {
    const bobs = cluster.bank(id).data.accountsOf("bob");
    const balances = await provider
      .getBalances(
        session,
        bobs.map((a) => a.id),
      )
      .catch(() => []);
    expect(balances).toEqual([]);
  });
});
