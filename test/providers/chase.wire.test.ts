/**
 * Chase-specific checks over real HTTP against the mock: what the FDX wire carries, and that the
 * adapter reads it right (signs, Eastern-time stamps, offset paging, errors).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { minorFromDecimal, moneyFromMinor } from "../../src/domain/money.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import { chase } from "../../src/providers/chase/index.js";
import type { BankProvider, BankSession } from "../../src/providers/contract.js";
import { ProviderError } from "../../src/providers/provider-error.js";
import { GatewayError, ErrorCode } from "../../src/errors.js";
import { bankSession } from "../support/bank-session.js";

const ANCHOR = new Date("2026-06-15T00:00:00Z");
let cluster: MockCluster;
let provider: BankProvider;
let session: BankSession;

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: ANCHOR, banks: ["chase"] });
  provider = chase.create({ http: createBankHttp({ institutionId: chase.id, institutionName: chase.name, baseUrl: cluster.urls.chase!, timeoutMs: 2000 }) });
  session = await bankSession(chase.id, cluster.urls.chase!);
});
afterEach(async () => {
  await cluster.bank("chase").resetFaults();
});
afterAll(async () => {
  await cluster?.close();
});

/** A raw call to the mock with alice's token: the wire as Chase sends it. */
async function wire(path: string, token = session.accessToken): Promise<{ status: number; text: string; body: any }> {
  const response = await fetch(cluster.urls.chase + path, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

const alice = () => cluster.bank("chase").data.accountsOf("alice");

describe("chase wire format", () => {
  it("sends only `...1234` for the account number, and the adapter keeps just those four digits", async () => {
    const { text, body } = await wire("/fdx/v6/accounts");
    const [checking, savings, card] = alice();
    expect(body.accounts[0].depositAccount.accountNumberDisplay).toBe(`...${checking!.number.slice(-4)}`);
    expect(body.accounts[1].depositAccount.accountType).toBe("SAVINGS");
    expect(body.accounts[2].locAccount.accountType).toBe("CREDITCARD");
    for (const account of [checking!, savings!, card!]) expect(text).not.toContain(account.number);
    const accounts = await provider.listAccounts(session);
    expect(accounts.map((a) => [a.name, a.type, a.mask])).toEqual([
      ["Chase Total Checking", "CHECKING", checking!.number.slice(-4)],
      ["Chase Savings", "SAVINGS", savings!.number.slice(-4)],
      ["Chase Sapphire Preferred", "CREDIT_CARD", card!.number.slice(-4)],
    ]);
  });

  it("gives the card's credit line and available credit from the FDX locAccount details", async () => {
    const card = alice()[2]!;
    const expected = cluster.bank("chase").data.balanceOf(card.id);
    const [balance] = await provider.getBalances(session, [card.id]);
    expect(balance!.limit).toEqual(moneyFromMinor(expected.limitMinor!, "USD"));
    expect(balance!.available).toEqual(moneyFromMinor(expected.availableMinor!, "USD"));
  });

  it("turns unsigned amounts with debitCreditMemo into signed money, stamped in Eastern time, dated in UTC", async () => {
    const checking = alice()[0]!;
    const june = await wire(`/fdx/v6/transactions?accountIds=${checking.id}&startTime=2026-06-01&endTime=2026-06-10&limit=50`);
    const january = await wire(`/fdx/v6/transactions?accountIds=${checking.id}&startTime=2026-01-05&endTime=2026-01-10&limit=50`);
    const rows = june.body.results[0].transactions.map((t: any) => t.depositTransaction);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.transactionTimestamp).toMatch(/T\d{2}:\d{2}:\d{2}\.\d{3}-04:00$/);
    for (const t of january.body.results[0].transactions) expect(t.depositTransaction.transactionTimestamp).toMatch(/-05:00$/);

    const [page] = await provider.listTransactions(session, [{ accountId: checking.id, from: "2026-06-01", to: "2026-06-10", limit: 50 }]);
    const records = cluster.bank("chase").data.recordsOf(checking.id, {
      includeSupersededPending: false,
      from: new Date("2026-06-01T00:00:00Z"),
      to: new Date("2026-06-10T23:59:59.999Z"),
    });
    expect(page!.items).toHaveLength(rows.length);
    page!.items.forEach((t, i) => {
      const row = rows[i];
      const record = records[i]!;
      expect(row.amount).toBeGreaterThan(0);
      expect(row.debitCreditMemo).toBe(record.amountMinor < 0 ? "DEBIT" : "CREDIT");
      expect(minorFromDecimal(t.amount.amount, "USD")).toBe(BigInt(record.amountMinor));
      expect(t.timestamp).toEqual(record.date);
      expect(t.date).toBe(record.date.toISOString().slice(0, 10));
      expect(t.pendingTransactionId).toBe(record.status === "posted" ? record.pendingId : null);
    });
  });

  it("continues several accounts in one call, each at its own offset", async () => {
    const ids = alice().map((a) => a.id);
    const first = await provider.listTransactions(
      session,
      ids.map((accountId) => ({ accountId, limit: 10 })),
    );
    cluster.bank("chase").resetCallCounts();
    const second = await provider.listTransactions(
      session,
      first.map((p) => ({ accountId: p.accountId, cursor: p.nextCursor, limit: 10 })),
    );
    expect(cluster.bank("chase").callCounts()).toEqual({ total: 1, byKind: { transactions: 1 } });
    for (const page of second) {
      const expected = cluster.bank("chase").data.recordsOf(page.accountId, { includeSupersededPending: false }).slice(10, 20);
      expect(page.items.map((t) => t.id)).toEqual(expected.map((r) => r.id));
    }
  });

  it("serves the same second page through links.next.href as through the adapter's cursor", async () => {
    const checking = alice()[0]!;
    const first = await wire(`/fdx/v6/transactions?accountIds=${checking.id}&startTime=2026-03-01&endTime=2026-03-31&limit=7`);
    const block = first.body.results[0];
    expect(block.page.nextOffset).toBe("7");
    const viaLink = await wire(block.links.next.href);
    const [page1] = await provider.listTransactions(session, [{ accountId: checking.id, from: "2026-03-01", to: "2026-03-31", limit: 7 }]);
    const [page2] = await provider.listTransactions(session, [{ accountId: checking.id, cursor: page1!.nextCursor, limit: 7 }]);
    expect(page2!.items.map((t) => t.id)).toEqual(viaLink.body.results[0].transactions.map((t: any) => t.depositTransaction.transactionId));
    expect(viaLink.body.results[0].page.nextOffset).toBe("14");
  });

  it("leaves another customer's account out of a batch instead of serving it", async () => {
    const mine = alice()[0]!.id;
    const bobs = cluster.bank("chase").data.accountsOf("bob")[0]!.id;
    const raw = await wire(`/fdx/v6/transactions?accountIds=${mine},${bobs}&limit=5`);
    expect(raw.body.results.map((r: any) => r.accountId)).toEqual([mine]);
    expect((await wire(`/fdx/v6/accounts/${bobs}/contact`)).status).toBe(404);
    const [page] = await provider.listTransactions(session, [{ accountId: bobs, limit: 5 }]);
    expect(page).toEqual({ accountId: bobs, items: [], nextCursor: null });
  });

  it("reads the owner from the FDX current customer", async () => {
    const customer = cluster.bank("chase").data.customer("alice")!;
    const ids = alice().map((a) => a.id);
    const owners = await provider.getOwners(session, [ids[1]!, "cha-nobody"]);
    expect(owners).toEqual([
      {
        accountId: ids[1],
        name: "Alice Anderson",
        email: "alice@example.com",
        phone: `+${customer.phone.replace(/\D/g, "")}`,
        address: customer.address,
      },
    ]);
  });

  it("refuses a bad token in FDX error style, which the adapter reports as LOGIN_REQUIRED", async () => {
    const raw = await wire("/fdx/v6/accounts", "forged.token");
    expect(raw.status).toBe(401);
    expect(raw.body).toEqual({ code: 401, message: "Unauthorized", debugMessage: "Bearer token is missing, invalid or expired" });
  });

  it("rejects a cursor it did not issue as BAD_USER_INPUT", async () => {
    const error = await provider.listTransactions(session, [{ accountId: alice()[0]!.id, cursor: "not-a-cursor", limit: 5 }]).catch((e) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it("reports a malformed body as BAD_RESPONSE", async () => {
    await cluster.bank("chase").setFaults({ malformed: true });
    const error = await provider.listAccounts(session).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("BAD_RESPONSE");
  });

  it("reports 429 as RATE_LIMITED with Retry-After", async () => {
    await cluster.bank("chase").setFaults({ rateLimitRetryAfter: 7 });
    const error = await provider.getBalances(session, [alice()[0]!.id]).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("RATE_LIMITED");
    expect(error.retryAfterSeconds).toBe(7);
  });
});
