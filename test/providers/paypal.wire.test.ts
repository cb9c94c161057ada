/**
 * PayPal-specific checks over real HTTP against the PayPal mock: what is on PayPal's wire and
 * what the adapter makes of it (last digits only, page-number paging, `+0000` times, tracker
 * statuses, failure mapping).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { AccountType, ShipmentStatus, TransactionStatus } from "../../src/domain/model.js";
import { moneyFromMinor } from "../../src/domain/money.js";
import { GatewayError } from "../../src/errors.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import type { BankProvider, BankSession } from "../../src/providers/contract.js";
import { paypal } from "../../src/providers/paypal/index.js";
import { ProviderError } from "../../src/providers/provider-error.js";
import { bankSession } from "../support/bank-session.js";

const ANCHOR = new Date("2026-06-15T00:00:00Z");
let cluster: MockCluster;
let provider: BankProvider;
let session: BankSession;

const bank = () => cluster.bank("paypal");
const wallet = () => bank().data.accountsOf("alice")[0]!;
const card = () => bank().data.accountsOf("alice")[1]!;

async function wire(path: string): Promise<any> {
  const response = await fetch(cluster.urls.paypal + path, { headers: { authorization: `Bearer ${session.accessToken}` } });
  return response.json();
}

beforeAll(async () => {
  cluster = await startMockCluster({ banks: ["paypal"], anchor: ANCHOR });
  provider = paypal.create({ http: createBankHttp({ institutionId: "paypal", institutionName: "PayPal", baseUrl: cluster.urls.paypal!, timeoutMs: 2000 }) });
  session = await bankSession("paypal", cluster.urls.paypal!);
});
afterAll(() => cluster?.close());
afterEach(() => bank().resetFaults());

describe("PayPal wire format", () => {
  it("sends only the last digits of a number, and the adapter keeps only four", async () => {
    const body = await wire("/v1/wallet/accounts");
    expect(body.accounts.map((a: any) => a.funding_instrument.last_digits)).toEqual([wallet().number.slice(-4), card().number.slice(-4)]);
    expect(JSON.stringify(body)).not.toContain(card().number);
    const accounts = await provider.listAccounts(session);
    expect(accounts).toEqual([
      { id: wallet().id, type: AccountType.WALLET, name: "PayPal Balance", mask: wallet().number.slice(-4), currency: "USD" },
      { id: card().id, type: AccountType.CREDIT_CARD, name: "PayPal Cashback Mastercard", mask: card().number.slice(-4), currency: "USD" },
    ]);
  });

  it("reads +0000 timestamps: a posted row is filed under its settlement time", async () => {
    const [page] = await provider.listTransactions(session, [{ accountId: card().id, from: "2026-05-01", to: "2026-05-31", limit: 50 }]);
    const records = bank().data.recordsOf(card().id, {
      includeSupersededPending: false,
      from: new Date("2026-05-01T00:00:00Z"),
      to: new Date("2026-05-31T23:59:59.999Z"),
    });
    const posted = page!.items.find((t) => t.status === TransactionStatus.POSTED && t.pendingTransactionId)!;
    const source = records.find((r) => r.id === posted.id)!;
    expect(posted.timestamp).toEqual(source.postedAt);
    expect(posted.date).toBe(source.postedAt!.toISOString().slice(0, 10));
    expect(posted.pendingTransactionId).toBe(`${source.id}-auth`);
    expect(posted.merchant).toEqual({ name: source.merchant!.name, categoryCode: source.merchant!.mcc });
    expect(posted.category).toBe(source.category);
  });

  it("follows PayPal's own next link to the page the adapter's cursor continues with", async () => {
    const query = `account_ids=${wallet().id}&page_size=5&start_date=2026-04-01T00:00:00%2B0000&end_date=2026-04-30T23:59:59%2B0000`;
    const first = await wire(`/v1/reporting/transactions?${query}`);
    const next = first.accounts[0].links.find((l: any) => l.rel === "next").href as string;
    expect(new URL(next).searchParams.get("page")).toBe("2");
    const viaLink: any = await (await fetch(next, { headers: { authorization: `Bearer ${session.accessToken}` } })).json();

    const [page1] = await provider.listTransactions(session, [{ accountId: wallet().id, from: "2026-04-01", to: "2026-04-30", limit: 5 }]);
    const [page2] = await provider.listTransactions(session, [{ accountId: wallet().id, cursor: page1!.nextCursor, limit: 5 }]);
    expect(page2!.items.map((t) => t.id)).toEqual(viaLink.accounts[0].transaction_details.map((d: any) => d.transaction_info.transaction_id));
    expect(viaLink.accounts[0].page).toBe(2);
  });

  it("puts a first page and another account's continuation in one call (pages=a:n)", async () => {
    const [, cardPage1] = await provider.listTransactions(session, [
      { accountId: wallet().id, limit: 4 },
      { accountId: card().id, limit: 4 },
    ]);
    bank().resetCallCounts();
    const [walletPage1, cardPage2] = await provider.listTransactions(session, [
      { accountId: wallet().id, limit: 4 },
      { accountId: card().id, cursor: cardPage1!.nextCursor, limit: 4 },
    ]);
    expect(bank().callCounts()).toEqual({ total: 1, byKind: { transactions: 1 } });
    const ids = (id: string, from: number) =>
      bank()
        .data.recordsOf(id, { includeSupersededPending: false })
        .slice(from, from + 4)
        .map((r) => r.id);
    expect(walletPage1!.items.map((t) => t.id)).toEqual(ids(wallet().id, 0));
    expect(cardPage2!.items.map((t) => t.id)).toEqual(ids(card().id, 4));
  });

  it("gives a foreign account an empty, final page and rejects a cursor it did not write", async () => {
    const bobs = bank().data.accountsOf("bob")[0]!;
    const [page] = await provider.listTransactions(session, [{ accountId: bobs.id, limit: 10 }]);
    expect(page).toEqual({ accountId: bobs.id, items: [], nextCursor: null });
    const error = await provider.listTransactions(session, [{ accountId: wallet().id, cursor: "page=2", limit: 10 }]).catch((e) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe("BAD_USER_INPUT");
  });

  it("reports a card's credit limit and the pending holds' effect on what is available", async () => {
    const [balance] = await provider.getBalances(session, [card().id]);
    const expected = bank().data.balanceOf(card().id);
    expect(balance!.limit).toEqual(moneyFromMinor(expected.limitMinor!, "USD"));
    expect(balance!.available).toEqual(moneyFromMinor(expected.availableMinor!, "USD"));
  });

  it("maps tracker statuses and PayPal's upper-case carriers back to the domain", async () => {
    const receipts = await provider.listReceipts(session, [wallet().id, card().id], 20);
    const shipped = receipts.find((r) => r.shipment?.status === ShipmentStatus.IN_TRANSIT)!;
    const source = bank().data.receipt(shipped.id)!;
    expect(source.shipment!.status).toBe("in_transit");
    const raw = await wire(`/v1/reporting/receipts?ids=${shipped.id}`);
    expect(raw.receipts[0].trackers[0].status).toBe("SHIPPED");
    expect(raw.receipts[0].trackers[0].carrier).toBe(source.shipment!.carrier.toUpperCase());
    expect(shipped.shipment!.carrier).toBe(source.shipment!.carrier);
    expect(shipped.shipment!.updates.map((u) => [u.status, u.at.toISOString()])).toEqual(
      source.shipment!.updates.map((u) => [u.status.toUpperCase(), u.at.toISOString()]),
    );
    expect(shipped.items.map((i) => [i.sku, i.quantity, i.unitPrice.amount])).toEqual(
      source.items.map((i) => [i.sku, i.quantity, moneyFromMinor(i.unitPriceMinor, "USD").amount]),
    );
    expect(shipped.tax).toEqual(moneyFromMinor(source.taxMinor, "USD"));
  });

  it("reads the owner from OpenID userinfo for the accounts it covers", async () => {
    const alice = bank().data.customer("alice")!;
    const owners = await provider.getOwners(session, [card().id, bank().data.accountsOf("bob")[0]!.id]);
    expect(owners).toEqual([
      { accountId: card().id, name: alice.name, email: alice.email, phone: `+${alice.phone.replace(/\D/g, "")}`, address: { ...alice.address, line2: null } },
    ]);
  });

  it("turns a garbled body into BAD_RESPONSE and a 429 into RATE_LIMITED with Retry-After", async () => {
    await bank().setFaults({ malformed: true });
    const garbled = await provider.getBalances(session, [wallet().id]).catch((e) => e);
    expect(garbled).toBeInstanceOf(ProviderError);
    expect(garbled.failure).toBe("BAD_RESPONSE");
    await bank().setFaults({ malformed: false, rateLimitRetryAfter: 17 });
    const limited = await provider.listAccounts(session).catch((e) => e);
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited.failure).toBe("RATE_LIMITED");
    expect(limited.retryAfterSeconds).toBe(17);
  });

  it("rejects well-formed JSON of the wrong shape as BAD_RESPONSE", async () => {
    // The balances call gets the accounts body back: valid JSON, but no balances in it.
    const http = createBankHttp({ institutionId: "paypal", institutionName: "PayPal", baseUrl: cluster.urls.paypal!, timeoutMs: 2000 });
    const broken = paypal.create({ http: { ...http, request: (req, schema) => http.request({ ...req, path: "/v1/wallet/accounts", query: {} }, schema) } });
    const error = await broken.getBalances(session, [wallet().id]).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("BAD_RESPONSE");
  });
});
