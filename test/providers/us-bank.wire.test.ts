/**
 * U.S. Bank-specific wire checks, over real HTTP against the U.S. Bank mock: the full account
 * number on the wire but never past the adapter, debit/credit indicators turned into signs,
 * page-number paging behind the adapter's cursor, and failure mapping.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { MockBankServer } from "../../mocks/mock-bank-server.js";
import { TransactionStatus } from "../../src/domain/model.js";
import { moneyFromMinor } from "../../src/domain/money.js";
import { GatewayError } from "../../src/errors.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import type { BankProvider, BankSession } from "../../src/providers/contract.js";
import { ProviderError } from "../../src/providers/provider-error.js";
import { usBank } from "../../src/providers/us-bank/index.js";
import { bankSession } from "../support/bank-session.js";

// Today (UTC midnight), so that the card has spending in its current cycle and thus an owed balance.
const now = new Date();
const ANCHOR = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
let cluster: MockCluster;
let bank: MockBankServer;
let provider: BankProvider;
let session: BankSession;

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: ANCHOR, banks: ["us_bank"] });
  bank = cluster.bank("us_bank");
  provider = usBank.create({
    http: createBankHttp({ institutionId: "us_bank", institutionName: "U.S. Bancorp", baseUrl: cluster.urls.us_bank!, timeoutMs: 2000 }),
  });
  session = await bankSession("us_bank", cluster.urls.us_bank!);
});
afterAll(async () => {
  await cluster?.close();
});
afterEach(async () => {
  await bank.resetFaults();
});

const usd = (minor: number) => moneyFromMinor(minor, "USD");
const daysBeforeAnchor = (days: number) => new Date(ANCHOR.getTime() - days * 86_400_000).toISOString().slice(0, 10);

describe("us_bank wire format", () => {
  it("sends full account numbers, which never leave the adapter", async () => {
    const response = await fetch(`${cluster.urls.us_bank}/v3/accounts`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    const body = (await response.json()) as { Status: unknown; ResponseData: { AccountList: { AccountNumber: string }[] } };
    const mine = bank.data.accountsOf("alice");
    expect(body.Status).toEqual({ Code: "0000", Message: "Success" });
    expect(body.ResponseData.AccountList.map((a) => a.AccountNumber)).toEqual(mine.map((a) => a.number));
    const accounts = await provider.listAccounts(session);
    expect(accounts.map((a) => [a.type, a.name, a.mask])).toEqual([
      ["CHECKING", "Smartly Checking", mine[0]!.number.slice(-4)],
      ["SAVINGS", "Standard Savings", mine[1]!.number.slice(-4)],
      ["CREDIT_CARD", "Altitude Go Visa", mine[2]!.number.slice(-4)],
    ]);
    const output = JSON.stringify([
      accounts,
      await provider.getBalances(
        session,
        accounts.map((a) => a.id),
      ),
      await provider.getOwners(
        session,
        accounts.map((a) => a.id),
      ),
    ]);
    for (const account of mine) expect(output).not.toContain(account.number);
  });

  it("signs debits negative and credits positive, with the bank's exact time", async () => {
    const [checking] = bank.data.accountsOf("alice");
    const from = daysBeforeAnchor(60);
    const records = bank.data.recordsOf(checking!.id, { includeSupersededPending: true, from: new Date(`${from}T00:00:00Z`) });
    const payroll = records.find((r) => r.category === "INCOME")!;
    const purchase = records.find((r) => r.status === "posted" && r.amountMinor < 0 && r.pendingId)!;
    const [page] = await provider.listTransactions(session, [{ accountId: checking!.id, from, limit: 500 }]);
    const byId = new Map(page!.items.map((t) => [t.id, t]));
    expect(byId.get(payroll.id)).toMatchObject({ amount: usd(payroll.amountMinor), status: TransactionStatus.POSTED, timestamp: payroll.date });
    expect(byId.get(purchase.id)).toMatchObject({
      amount: usd(purchase.amountMinor),
      pendingTransactionId: purchase.pendingId,
      date: purchase.postedAt!.toISOString().slice(0, 10),
      timestamp: purchase.postedAt,
    });
    expect(byId.get(purchase.pendingId!)).toMatchObject({ status: TransactionStatus.PENDING, pendingTransactionId: null, timestamp: purchase.authorizedAt });
    expect(payroll.amountMinor).toBeGreaterThan(0);
    expect(purchase.amountMinor).toBeLessThan(0);
  });

  it("reports a card's debit balance as what the holder owes, with its limit and available credit", async () => {
    const [, , card] = bank.data.accountsOf("alice");
    const [balance] = await provider.getBalances(session, [card!.id]);
    const expected = bank.data.balanceOf(card!.id);
    expect(expected.currentMinor).toBeGreaterThan(0);
    expect(balance).toMatchObject({ current: usd(expected.currentMinor), available: usd(expected.availableMinor!), limit: usd(expected.limitMinor!) });
  });

  it("asks page 1 of one account and page 3 of another in one inquiry when range and size match", async () => {
    const [checking, savings] = bank.data.accountsOf("alice");
    const [first] = await provider.listTransactions(session, [{ accountId: savings!.id, limit: 10 }]);
    const [second] = await provider.listTransactions(session, [{ accountId: savings!.id, cursor: first!.nextCursor, limit: 10 }]);
    bank.resetCallCounts();
    const pages = await provider.listTransactions(session, [
      { accountId: checking!.id, limit: 10 },
      { accountId: savings!.id, cursor: second!.nextCursor, limit: 10 },
    ]);
    expect(bank.callCounts().byKind).toEqual({ transactions: 1 });
    const records = (id: string) => bank.data.recordsOf(id, { includeSupersededPending: true }).map((r) => r.id);
    expect(pages.map((p) => p.items.map((t) => t.id))).toEqual([records(checking!.id).slice(0, 10), records(savings!.id).slice(20, 30)]);
  });

  it("needs one inquiry per date range, since the range is the inquiry's", async () => {
    const [checking, savings] = bank.data.accountsOf("alice");
    bank.resetCallCounts();
    await provider.listTransactions(session, [
      { accountId: checking!.id, from: daysBeforeAnchor(60), limit: 10 },
      { accountId: savings!.id, from: daysBeforeAnchor(30), limit: 10 },
    ]);
    expect(bank.callCounts().byKind).toEqual({ transactions: 2 });
  });

  it("ends with a null cursor on the last page", async () => {
    const [, savings] = bank.data.accountsOf("alice");
    const from = daysBeforeAnchor(6);
    const expected = bank.data.recordsOf(savings!.id, { includeSupersededPending: true, from: new Date(`${from}T00:00:00Z`) }).map((r) => r.id);
    const [page] = await provider.listTransactions(session, [{ accountId: savings!.id, from, limit: expected.length }]);
    expect(page!.items.map((t) => t.id)).toEqual(expected);
    expect(page!.nextCursor).toBeNull();
  });

  it("rejects a cursor it did not issue as BAD_USER_INPUT, without calling the bank", async () => {
    const [checking] = bank.data.accountsOf("alice");
    bank.resetCallCounts();
    const error = await provider.listTransactions(session, [{ accountId: checking!.id, cursor: "page=2", limit: 10 }]).catch((e) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(bank.callCounts().total).toBe(0);
  });

  it("maps a malformed body to BAD_RESPONSE", async () => {
    await bank.setFaults({ malformed: true });
    const error = await provider.listAccounts(session).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("BAD_RESPONSE");
  });

  it("maps 429 to RATE_LIMITED with the Retry-After seconds", async () => {
    await bank.setFaults({ rateLimitRetryAfter: 42 });
    const error = await provider.getOwners(session, ["us_-anything"]).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("RATE_LIMITED");
    expect(error.retryAfterSeconds).toBe(42);
  });
});
