/**
 * Citi-specific wire checks, over real HTTP against the Citi mock: masking at the source, the
 * keyset cursor mixing first pages and continuations in one query, both rows of a settled
 * purchase, and failure mapping.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { MockBankServer } from "../../mocks/mock-bank-server.js";
import { TransactionStatus } from "../../src/domain/model.js";
import { GatewayError } from "../../src/errors.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import { citi } from "../../src/providers/citi/index.js";
import type { BankProvider, BankSession } from "../../src/providers/contract.js";
import { ProviderError } from "../../src/providers/provider-error.js";
import { bankSession } from "../support/bank-session.js";

const ANCHOR = new Date("2026-06-15T00:00:00Z");
let cluster: MockCluster;
let bank: MockBankServer;
let provider: BankProvider;
let session: BankSession;

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: ANCHOR, banks: ["citi"] });
  bank = cluster.bank("citi");
  provider = citi.create({ http: createBankHttp({ institutionId: "citi", institutionName: "Citi", baseUrl: cluster.urls.citi!, timeoutMs: 2000 }) });
  session = await bankSession("citi", cluster.urls.citi!);
});
afterAll(async () => {
  await cluster?.close();
});
afterEach(async () => {
  await bank.resetFaults();
});

const citiGet = (path: string, token = session.accessToken) => fetch(`${cluster.urls.citi}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe("citi wire format", () => {
  it("sends only X-masked account numbers, and the adapter keeps their last four digits", async () => {
    const body = (await (await citiGet("/api/v1/accounts")).json()) as { data: { accounts: { displayAccountNumber: string }[] } };
    const [checking, card] = bank.data.accountsOf("alice");
    expect(body.data.accounts.map((a) => a.displayAccountNumber)).toEqual([
      `${"X".repeat(8)}${checking!.number.slice(-4)}`,
      `${"X".repeat(12)}${card!.number.slice(-4)}`,
    ]);
    expect(JSON.stringify(body)).not.toContain(checking!.number);
    const accounts = await provider.listAccounts(session);
    expect(accounts.map((a) => [a.type, a.name, a.mask])).toEqual([
      ["CHECKING", "Citi Priority Checking", checking!.number.slice(-4)],
      ["CREDIT_CARD", "Citi Double Cash", card!.number.slice(-4)],
    ]);
  });

  it("answers a bad token in the API gateway's error body", async () => {
    const response = await citiGet("/api/v1/accounts", "forged.token");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ httpCode: "401", httpMessage: "Unauthorized", moreInformation: "Access token is invalid or has expired." });
  });

  it("sends a first page and another account's continuation in one query", async () => {
    const [checking, card] = bank.data.accountsOf("alice");
    const [first] = await provider.listTransactions(session, [{ accountId: card!.id, limit: 10 }]);
    bank.resetCallCounts();
    const pages = await provider.listTransactions(session, [
      { accountId: checking!.id, limit: 10 },
      { accountId: card!.id, cursor: first!.nextCursor, limit: 10 },
    ]);
    expect(bank.callCounts().byKind).toEqual({ transactions: 1 });
    const records = (id: string) => bank.data.recordsOf(id, { includeSupersededPending: true }).map((r) => r.id);
    expect(pages.map((p) => p.items.map((t) => t.id))).toEqual([records(checking!.id).slice(0, 10), records(card!.id).slice(10, 20)]);
  });

  it("continues after the last row served, so a new purchase between pages shifts nothing", async () => {
    const [, card] = bank.data.accountsOf("alice");
    const before = bank.data.recordsOf(card!.id, { includeSupersededPending: true }).map((r) => r.id);
    const [first] = await provider.listTransactions(session, [{ accountId: card!.id, limit: 5 }]);
    bank.data.addPendingPurchase(card!.id, new Date(ANCHOR.getTime() + 3_600_000), 4_50);
    const [second] = await provider.listTransactions(session, [{ accountId: card!.id, cursor: first!.nextCursor, limit: 5 }]);
    expect(second!.items.map((t) => t.id)).toEqual(before.slice(5, 10));
  });

  it("keeps the cursor's own date range when a continuation asks without one", async () => {
    const [checking] = bank.data.accountsOf("alice");
    const [first] = await provider.listTransactions(session, [{ accountId: checking!.id, from: "2026-04-01", to: "2026-04-07", limit: 4 }]);
    const [second] = await provider.listTransactions(session, [{ accountId: checking!.id, cursor: first!.nextCursor, limit: 4 }]);
    const expected = bank.data
      .recordsOf(checking!.id, { includeSupersededPending: true, from: new Date("2026-04-01T00:00:00Z"), to: new Date("2026-04-07T23:59:59.999Z") })
      .map((r) => r.id);
    expect([...first!.items, ...second!.items].map((t) => t.id)).toEqual(expected.slice(0, 8));
    expect(second!.items.every((t) => t.date >= "2026-04-01" && t.date <= "2026-04-07")).toBe(true);
  });

  it("returns both rows of a settled purchase: POSTED naming its AUTHORIZED row, filed by posting day", async () => {
    const [, card] = bank.data.accountsOf("alice");
    const [page] = await provider.listTransactions(session, [{ accountId: card!.id, from: "2026-03-01", to: "2026-03-31", limit: 500 }]);
    const settled = bank.data.transactionsOf(card!.id).find((t) => t.postedAt && t.pendingId && t.postedAt.getTime() < Date.parse("2026-03-31"))!;
    const posted = page!.items.find((t) => t.id === settled.id)!;
    const authorized = page!.items.find((t) => t.id === settled.pendingId)!;
    expect(posted).toMatchObject({
      status: TransactionStatus.POSTED,
      pendingTransactionId: settled.pendingId,
      date: settled.postedAt!.toISOString().slice(0, 10),
      timestamp: null,
      merchant: { name: settled.merchant!.name, categoryCode: settled.merchant!.mcc },
    });
    expect(authorized).toMatchObject({ status: TransactionStatus.PENDING, pendingTransactionId: null, date: settled.authorizedAt.toISOString().slice(0, 10) });
    expect(posted.amount).toEqual(authorized.amount);
  });

  it("gives a foreign account an empty, final page without serving it", async () => {
    const [bobs] = bank.data.accountsOf("bob");
    const [page] = await provider.listTransactions(session, [{ accountId: bobs!.id, limit: 10 }]);
    expect(page).toEqual({ accountId: bobs!.id, items: [], nextCursor: null });
    expect(await provider.getOwners(session, [bobs!.id])).toEqual([]);
  });

  it("rejects a date that is not YYYY-MM-DD before calling the bank", async () => {
    const [checking] = bank.data.accountsOf("alice");
    bank.resetCallCounts();
    const error = await provider.listTransactions(session, [{ accountId: checking!.id, from: "01/03/2026", limit: 5 }]).catch((e) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe("BAD_USER_INPUT");
    expect(bank.callCounts().total).toBe(0);
  });

  it("has no receipts and does not ask the bank for any", async () => {
    bank.resetCallCounts();
    expect(await provider.getReceipts(session, ["r-1"])).toEqual([]);
    expect(
      await provider.listReceipts(
        session,
        bank.data.accountsOf("alice").map((a) => a.id),
        5,
      ),
    ).toEqual([]);
    expect(bank.callCounts().total).toBe(0);
  });

  it("maps a malformed body to BAD_RESPONSE", async () => {
    await bank.setFaults({ malformed: true });
    const error = await provider.listAccounts(session).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("BAD_RESPONSE");
  });

  it("maps 429 to RATE_LIMITED with the Retry-After seconds", async () => {
    await bank.setFaults({ rateLimitRetryAfter: 17 });
    const error = await provider.getBalances(session, ["cit-anything"]).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("RATE_LIMITED");
    expect(error.retryAfterSeconds).toBe(17);
  });
});
