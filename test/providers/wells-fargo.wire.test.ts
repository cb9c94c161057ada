/**
 * Wells Fargo-specific checks over real HTTP against the mock: the full account number on the
 * wire (and never past the adapter), signed cents, epoch times, next-page links with page
 * tokens, batched continuations and errors.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { moneyFromMinor } from "../../src/domain/money.js";
import { ErrorCode, GatewayError } from "../../src/errors.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import type { BankProvider, BankSession } from "../../src/providers/contract.js";
import { ProviderError } from "../../src/providers/provider-error.js";
import { wellsFargo } from "../../src/providers/wells-fargo/index.js";
import { bankSession } from "../support/bank-session.js";

const ANCHOR = new Date("2026-06-15T00:00:00Z");
const ID = "wells_fargo";
let cluster: MockCluster;
let provider: BankProvider;
let session: BankSession;

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: ANCHOR, banks: [ID] });
  provider = wellsFargo.create({ http: createBankHttp({ institutionId: ID, institutionName: wellsFargo.name, baseUrl: cluster.urls[ID]!, timeoutMs: 2000 }) });
  session = await bankSession(ID, cluster.urls[ID]!);
});
afterEach(async () => {
  await cluster.bank(ID).resetFaults();
});
afterAll(async () => {
  await cluster?.close();
});

/** A raw call to the mock with alice's token: the wire as Wells Fargo sends it. */
async function wire(path: string, init: { json?: unknown; token?: string } = {}): Promise<{ status: number; text: string; body: any }> {
  const response = await fetch(cluster.urls[ID] + path, {
    method: init.json === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${init.token ?? session.accessToken}`, "content-type": "application/json" },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}

const data = () => cluster.bank(ID).data;
const alice = () => data().accountsOf("alice");
const records = (accountId: string) => data().recordsOf(accountId, { includeSupersededPending: false });

describe("wells fargo wire format", () => {
  it("sends the full account number, which never leaves the adapter", async () => {
    const [checking, savings] = alice();
    const raw = await wire("/v2/accounts");
    expect(raw.body.accounts.map((a: any) => a.account_number)).toEqual([checking!.number, savings!.number]);
    expect(raw.body.accounts[0]._links.self.href).toBe(`/v2/accounts/${checking!.id}`);
    const accounts = await provider.listAccounts(session);
    expect(accounts).toEqual([
      { id: checking!.id, type: "CHECKING", name: "Everyday Checking", mask: checking!.number.slice(-4), currency: "USD" },
      { id: savings!.id, type: "SAVINGS", name: "Way2Save Savings", mask: savings!.number.slice(-4), currency: "USD" },
    ]);
    const owners = await provider.getOwners(session, [checking!.id]);
    const balances = await provider.getBalances(session, [checking!.id]);
    for (const output of [accounts, owners, balances]) {
      expect(JSON.stringify(output)).not.toContain(checking!.number);
      expect(JSON.stringify(output)).not.toContain(savings!.number);
    }
  });

  it("reads signed cents and epoch milliseconds exactly", async () => {
    const checking = alice()[0]!;
    const raw = await wire("/v2/balances/search", { json: { account_ids: [checking.id] } });
    const [wireBalance] = raw.body.balances;
    const before = data().now().getTime();
    const [balance] = await provider.getBalances(session, [checking.id]);
    const after = data().now().getTime();
    expect(Number.isInteger(wireBalance.ledger_balance_cents)).toBe(true);
    expect(Number.isInteger(wireBalance.as_of_ms)).toBe(true);
    expect(balance!.current).toEqual(moneyFromMinor(data().balanceOf(checking.id).currentMinor, "USD"));
    // The mock computes balances "now" on its own clock, so asOf is the bank clock's reading at the adapter's call.
    expect(balance!.asOf.getTime()).toBeGreaterThanOrEqual(before);
    expect(balance!.asOf.getTime()).toBeLessThanOrEqual(after);

    const [page] = await provider.listTransactions(session, [{ accountId: checking.id, limit: 20 }]);
    const expected = records(checking.id).slice(0, 20);
    expect(expected.some((r) => r.amountMinor < 0) && expected.some((r) => r.status === "pending")).toBe(true);
    page!.items.forEach((t, i) => {
      const r = expected[i]!;
      expect(t.amount).toEqual(moneyFromMinor(r.amountMinor, "USD"));
      expect(t.timestamp).toEqual(r.date);
      expect(t.status).toBe(r.status === "posted" ? "POSTED" : "PENDING");
      expect(t.merchant).toEqual(r.merchant ? { name: r.merchant.name, categoryCode: r.merchant.mcc } : null);
    });
  });

  it("makes the next-page href the cursor, and a GET of that href serves the page the adapter continues with", async () => {
    const checking = alice()[0]!;
    const [page1] = await provider.listTransactions(session, [{ accountId: checking.id, from: "2026-02-01", to: "2026-02-28", limit: 9 }]);
    expect(page1!.nextCursor).toMatch(/^\/v2\/transactions\/search\?page_token=[\w-]+$/);
    const viaLink = await wire(page1!.nextCursor!);
    const [page2] = await provider.listTransactions(session, [{ accountId: checking.id, cursor: page1!.nextCursor, limit: 9 }]);
    const expected = data()
      .recordsOf(checking.id, { includeSupersededPending: false, from: new Date("2026-02-01T00:00:00Z"), to: new Date("2026-02-28T23:59:59.999Z") })
      .slice(9, 18)
      .map((r) => r.id);
    expect(viaLink.body.results[0].transactions.map((t: any) => t.transaction_id)).toEqual(expected);
    expect(page2!.items.map((t) => t.id)).toEqual(expected);
    expect(page2!.nextCursor).toBe(viaLink.body.results[0]._links.next.href);
  });

  it("batches continuations and first pages of several accounts into one search", async () => {
    const [checking, savings] = alice();
    const first = await provider.listTransactions(session, [{ accountId: checking!.id, limit: 10 }]);
    cluster.bank(ID).resetCallCounts();
    const pages = await provider.listTransactions(session, [
      { accountId: checking!.id, cursor: first[0]!.nextCursor, limit: 10 },
      { accountId: savings!.id, limit: 10 },
      { accountId: checking!.id, limit: 10 },
    ]);
    expect(cluster.bank(ID).callCounts()).toEqual({ total: 1, byKind: { transactions: 1 } });
    expect(pages.map((p) => p.items.map((t) => t.id))).toEqual([
      records(checking!.id)
        .slice(10, 20)
        .map((r) => r.id),
      records(savings!.id)
        .slice(0, 10)
        .map((r) => r.id),
      records(checking!.id)
        .slice(0, 10)
        .map((r) => r.id),
    ]);
  });

  it("omits another customer's accounts from batches and owner lookups", async () => {
    const mine = alice()[0]!.id;
    const bobs = data().accountsOf("bob")[0]!.id;
    const raw = await wire("/v2/transactions/search", { json: { account_ids: [bobs, mine], page_size: 3 } });
    expect(raw.body.results.map((r: any) => r.account_id)).toEqual([mine]);
    expect((await wire(`/v2/accounts/${bobs}`)).status).toBe(404);
    expect(await provider.getOwners(session, [bobs])).toEqual([]);
    const customer = data().customer("alice")!;
    expect(await provider.getOwners(session, [bobs, mine])).toEqual([
      {
        accountId: mine,
        name: "Alice Anderson",
        email: "alice@example.com",
        phone: `+${customer.phone.replace(/\D/g, "")}`,
        address: customer.address,
      },
    ]);
  });

  it("refuses a tampered page token, and the adapter refuses a cursor it did not issue", async () => {
    const raw = await wire("/v2/transactions/search", { json: { page_tokens: ["bm90LWEtdG9rZW4"] } });
    expect(raw.status).toBe(400);
    expect(raw.body).toEqual({ error: { code: "INVALID_PAGE_TOKEN", message: "page_token is not one this API issued" } });
    const error = await provider.listTransactions(session, [{ accountId: alice()[0]!.id, cursor: "/v2/elsewhere", limit: 5 }]).catch((e) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
  });

  it("answers a bad token in its own error envelope", async () => {
    const raw = await wire("/v2/accounts", { token: "forged.token" });
    expect(raw.status).toBe(401);
    expect(raw.body).toEqual({ error: { code: "INVALID_TOKEN", message: "The access token is missing, invalid or expired" } });
  });

  it("reports a malformed body as BAD_RESPONSE", async () => {
    await cluster.bank(ID).setFaults({ malformed: true });
    const error = await provider.getBalances(session, [alice()[0]!.id]).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("BAD_RESPONSE");
  });

  it("reports 429 as RATE_LIMITED with Retry-After", async () => {
    await cluster.bank(ID).setFaults({ rateLimitRetryAfter: 12 });
    const error = await provider.listTransactions(session, [{ accountId: alice()[0]!.id, limit: 5 }]).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("RATE_LIMITED");
    expect(error.retryAfterSeconds).toBe(12);
  });
});
