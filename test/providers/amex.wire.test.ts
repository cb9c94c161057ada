/**
 * Amex-specific checks over real HTTP against the Amex mock: unsigned cents with DEBIT/CREDIT,
 * `YYYYMMDD` dates, keyset `next_token` paging, charge cards without a limit, failure mapping.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { AccountType, ShipmentStatus, TransactionStatus } from "../../src/domain/model.js";
import { moneyFromMinor } from "../../src/domain/money.js";
import { amex } from "../../src/providers/amex/index.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import type { BankProvider, BankSession } from "../../src/providers/contract.js";
import { ProviderError } from "../../src/providers/provider-error.js";
import { bankSession } from "../support/bank-session.js";

const ANCHOR = new Date("2026-06-15T00:00:00Z");
let cluster: MockCluster;
let provider: BankProvider;
let session: BankSession;

const bank = () => cluster.bank("amex");
const platinum = () => bank().data.accountsOf("alice")[0]!;
const blueCash = () => bank().data.accountsOf("alice")[1]!;
const records = (accountId: string, from?: string, to?: string) =>
  bank().data.recordsOf(accountId, {
    includeSupersededPending: false,
    from: from ? new Date(`${from}T00:00:00.000Z`) : undefined,
    to: to ? new Date(`${to}T23:59:59.999Z`) : undefined,
  });

async function post(path: string, body: unknown): Promise<any> {
  const response = await fetch(cluster.urls.amex + path, {
    method: "POST",
    headers: { authorization: `Bearer ${session.accessToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.json();
}

beforeAll(async () => {
  cluster = await startMockCluster({ banks: ["amex"], anchor: ANCHOR });
  provider = amex.create({
    http: createBankHttp({ institutionId: "amex", institutionName: "American Express", baseUrl: cluster.urls.amex!, timeoutMs: 2000 }),
  });
  session = await bankSession("amex", cluster.urls.amex!);
});
afterAll(() => cluster?.close());
afterEach(() => bank().resetFaults());

describe("American Express wire format", () => {
  it("sends last_four only; the adapter maps charge and credit products", async () => {
    const accounts = await provider.listAccounts(session);
    expect(accounts).toEqual([
      { id: platinum().id, type: AccountType.CHARGE_CARD, name: "Platinum Card", mask: platinum().number.slice(-4), currency: "USD" },
      { id: blueCash().id, type: AccountType.CREDIT_CARD, name: "Blue Cash Preferred", mask: blueCash().number.slice(-4), currency: "USD" },
    ]);
    const raw = await (
      await fetch(cluster.urls.amex + "/servicing/v1/member/accounts", { headers: { authorization: `Bearer ${session.accessToken}` } })
    ).text();
    expect(raw).not.toContain(platinum().number);
    expect(raw).toContain(`"last_four":"${platinum().number.slice(-4)}"`);
  });

  it("signs unsigned cents by DEBIT/CREDIT and files posted charges under post_date", async () => {
    const body = await post("/servicing/v1/financials/transactions", {
      cards: [{ account_token: blueCash().id }],
      start_date: "20260501",
      end_date: "20260531",
      limit: 3,
    });
    const first = body.cards[0].transactions[0];
    const source = records(blueCash().id, "2026-05-01", "2026-05-31")[0]!;
    expect(first.amount).toEqual({ value: Math.abs(source.amountMinor), currency: "USD", exponent: 2 });
    expect(first.type).toBe(source.amountMinor < 0 ? "DEBIT" : "CREDIT");
    expect(first.post_date).toBe(source.postedAt!.toISOString().slice(0, 10).replaceAll("-", ""));

    const [page] = await provider.listTransactions(session, [{ accountId: blueCash().id, from: "2026-05-01", to: "2026-05-31", limit: 3 }]);
    const t = page!.items[0]!;
    expect(t.amount).toEqual(moneyFromMinor(source.amountMinor, "USD"));
    expect(t.status).toBe(TransactionStatus.POSTED);
    expect(t.date).toBe(source.postedAt!.toISOString().slice(0, 10));
    expect(t.timestamp).toEqual(source.authorizedAt);
    expect(t.pendingTransactionId).toBe(first.authorization_id);
  });

  it("sends a continuation and a first page with another range in one call", async () => {
    const [p1] = await provider.listTransactions(session, [{ accountId: platinum().id, from: "2026-03-01", to: "2026-03-31", limit: 5 }]);
    bank().resetCallCounts();
    const [p2, other] = await provider.listTransactions(session, [
      { accountId: platinum().id, cursor: p1!.nextCursor, limit: 5 },
      { accountId: blueCash().id, from: "2026-01-01", to: "2026-01-31", limit: 5 },
    ]);
    expect(bank().callCounts()).toEqual({ total: 1, byKind: { transactions: 1 } });
    expect(p2!.items.map((t) => t.id)).toEqual(
      records(platinum().id, "2026-03-01", "2026-03-31")
        .slice(5, 10)
        .map((r) => r.id),
    );
    expect(other!.items.map((t) => t.id)).toEqual(
      records(blueCash().id, "2026-01-01", "2026-01-31")
        .slice(0, 5)
        .map((r) => r.id),
    );
  });

  it("refuses another card's next_token", async () => {
    const [p1] = await provider.listTransactions(session, [{ accountId: platinum().id, limit: 2 }]);
    const body = await post("/servicing/v1/financials/transactions", { cards: [{ account_token: blueCash().id, next_token: p1!.nextCursor }], limit: 2 });
    expect(body).toEqual({ error_code: "INVALID_NEXT_TOKEN", error_message: "next_token is not valid for this card" });
    const error = await provider.listTransactions(session, [{ accountId: blueCash().id, cursor: p1!.nextCursor, limit: 2 }]).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.failure).toBe("UPSTREAM_ERROR");
  });

  it("gives a charge card no limit and no available credit, a credit card both", async () => {
    const balances = await provider.getBalances(session, [platinum().id, blueCash().id]);
    const [charge, credit] = [platinum(), blueCash()].map((a) => bank().data.balanceOf(a.id));
    expect(balances.map((b) => [b.accountId, b.current, b.available, b.limit])).toEqual([
      [platinum().id, moneyFromMinor(charge!.currentMinor, "USD"), null, null],
      [blueCash().id, moneyFromMinor(credit!.currentMinor, "USD"), moneyFromMinor(credit!.availableMinor!, "USD"), moneyFromMinor(credit!.limitMinor!, "USD")],
    ]);
  });

  it("uppercases delivery_status and reads scan events", async () => {
    const receipts = await provider.listReceipts(session, [platinum().id, blueCash().id], 30);
    const delivered = receipts.find((r) => r.shipment?.status === ShipmentStatus.DELIVERED)!;
    const source = bank().data.receipt(delivered.id)!;
    expect(delivered.shipment).toEqual({
      carrier: source.shipment!.carrier,
      trackingNumber: source.shipment!.trackingNumber,
      status: ShipmentStatus.DELIVERED,
      estimatedDelivery: source.shipment!.estimatedDelivery,
      updates: source.shipment!.updates.map((u) => ({ ...u, status: u.status.toUpperCase() })),
    });
    expect(delivered.total).toEqual(moneyFromMinor(source.totalMinor, "USD"));
    expect(delivered.subtotal).toEqual(moneyFromMinor(source.subtotalMinor, "USD"));
  });

  it("reads the member profile per card and omits foreign cards", async () => {
    const alice = bank().data.customer("alice")!;
    const owners = await provider.getOwners(session, [platinum().id, bank().data.accountsOf("bob")[0]!.id]);
    expect(owners).toEqual([
      { accountId: platinum().id, name: alice.name, email: alice.email, phone: `+${alice.phone.replace(/\D/g, "")}`, address: alice.address },
    ]);
  });

  it("turns a garbled body into BAD_RESPONSE and a 429 into RATE_LIMITED with Retry-After", async () => {
    await bank().setFaults({ malformed: true });
    const garbled = await provider.listTransactions(session, [{ accountId: platinum().id, limit: 5 }]).catch((e) => e);
    expect(garbled).toBeInstanceOf(ProviderError);
    expect(garbled.failure).toBe("BAD_RESPONSE");
    await bank().setFaults({ malformed: false, rateLimitRetryAfter: 42 });
    const limited = await provider.getBalances(session, [platinum().id]).catch((e) => e);
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited.failure).toBe("RATE_LIMITED");
    expect(limited.retryAfterSeconds).toBe(42);
  });

  // Last: it adds a purchase to the data.
  it("keeps paging without repeats when a new charge arrives between pages (keyset next_token)", async () => {
    const before = records(platinum().id)
      .slice(0, 12)
      .map((r) => r.id);
    const [p1] = await provider.listTransactions(session, [{ accountId: platinum().id, limit: 6 }]);
    // Newer than every row served so far: an offset-based cursor would now repeat a row.
    bank().data.addPendingPurchase(platinum().id, new Date(ANCHOR.getTime() + 86_400_000), 1234);
    const [p2] = await provider.listTransactions(session, [{ accountId: platinum().id, cursor: p1!.nextCursor, limit: 6 }]);
    expect([...p1!.items, ...p2!.items].map((t) => t.id)).toEqual(before);
  });
});
