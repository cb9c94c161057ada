/**
 * End to end, for each of the six banks: the mock bank makes something happen (admin endpoint),
 * signs and POSTs its own webhook format to the gateway, which translates it, routes it to the
 * user's link and delivers it to a graphql-ws subscriber — carrying the data itself, the same
 * data (same IDs) a query returns, and on the access log like a read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_BANKS } from "../../mocks/registry.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { bankEvent, collect, subscribersReady, targetWebhooks, wsClient } from "./realtime-support.js";

/** Every registered bank (test/architecture/bank-lists.test.ts checks the mocks serve the same ones). */
const BANKS = PROVIDER_MODULES.map((m) => m.id);
/** The banks that issue receipts, as their mocks say. */
const RECEIPT_BANKS = MOCK_BANKS.filter((d) => d.receipts).map((d) => d.id);

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
  await targetWebhooks(t.mocks.adminUrl, t.gateway);
});
afterAll(() => t?.close());

async function userWith(institution: string, scopes: string[]): Promise<TestUser> {
  const user = await t.newUser(`rt-${institution}`, [institution]);
  await t.grant(user, institution, scopes);
  return user;
}

/** A subscriber that is live at the gateway before the test fires anything. */
async function subscribe(user: TestUser, query: string) {
  const client = wsClient(t.gateway, user.app);
  const sub = collect(client, query);
  await subscribersReady(t.gateway, user.userId);
  return { client, sub };
}

const TRANSACTION_FIELDS = "id status amount { amount currency } description merchant { name } date pendingTransactionId";

describe.each(BANKS)("at %s", (bank) => {
  it("a pending purchase, then its posting linked to it by pendingTransactionId", async () => {
    const user = await userWith(bank, ["accounts:read", "transactions:read"]);
    const pending = await subscribe(user, `subscription OnPending { transactionPending { ${TRANSACTION_FIELDS} } }`);
    const posted = collect(pending.client, `subscription OnPosted { transactionPosted { ${TRANSACTION_FIELDS} } }`);
    await subscribersReady(t.gateway, user.userId, 2);

    const authorized = await bankEvent(t.mocks.adminUrl, bank, { kind: "transaction_pending", amountMinor: 1234, merchant: "Chipotle" });
    expect(authorized.delivery).toMatchObject({ status: 200, attempts: 1, response: { accepted: 1, duplicates: 0 } });
    const first = (await pending.sub.nth(1)).data!.transactionPending;
    expect(first).toMatchObject({
      status: "PENDING",
      amount: { amount: "-12.34", currency: "USD" },
      merchant: { name: "Chipotle" },
      pendingTransactionId: null,
    });

    await bankEvent(t.mocks.adminUrl, bank, { kind: "transaction_posted", transactionId: authorized.event.transactionId });
    const second = (await posted.nth(1)).data!.transactionPosted;
    expect(second).toMatchObject({ status: "POSTED", amount: { amount: "-12.34", currency: "USD" }, merchant: { name: "Chipotle" } });
    // The posting names the pending transaction the subscriber already has: drop that one.
    expect(second.pendingTransactionId).toBe(first.id);
    expect(second.id).not.toBe(first.id);

    // The same transaction, same ID and data, is what a query now lists first for that account.
    const listed = await t.gql(`{ accounts { id transactions(first: 1) { nodes { ${TRANSACTION_FIELDS} } } } }`, {}, user.app);
    const newest = listed.body.data.accounts.map((a: any) => a.transactions.nodes[0]).find((n: any) => n.id === second.id);
    expect(newest).toEqual(second);
    expect(pending.sub.results).toHaveLength(1);
    expect(posted.results).toHaveLength(1);
    await pending.client.dispose();
  });

  it("a balance change carries the new balance, equal to what a query reads", async () => {
    const user = await userWith(bank, ["accounts:read", "balances:read"]);
    const { client, sub } = await subscribe(
      user,
      "subscription { balanceUpdated { accountId balance { current { amount currency } available { amount } limit { amount } asOf } } }",
    );
    const emitted = await bankEvent(t.mocks.adminUrl, bank, { kind: "balance_changed" });
    const update = (await sub.nth(1)).data!.balanceUpdated;

    const accounts = await t.gql("{ accounts { id balance { current { amount currency } available { amount } limit { amount } } } }", {}, user.app);
    const account = accounts.body.data.accounts.find((a: any) => a.id === update.accountId);
    expect(account).toBeDefined();
    expect(update.balance.current).toEqual(account.balance.current);
    expect(update.balance.available).toEqual(account.balance.available);
    expect(update.balance.limit).toEqual(account.balance.limit);
    expect(Number.isNaN(Date.parse(update.balance.asOf))).toBe(false);
    expect(emitted.event.kind).toBe("balance_changed");
    await client.dispose();
  });

  it("a fraud alert, joined to the suspicious pending transaction", async () => {
    const user = await userWith(bank, ["accounts:read", "transactions:read", "alerts:read"]);
    const { client, sub } = await subscribe(
      user,
      "subscription { fraudAlert { id accountId transactionId severity reason amount { amount currency } merchantName at } }",
    );
    await bankEvent(t.mocks.adminUrl, bank, { kind: "fraud_alert", amountMinor: 189_900, merchant: "Contoso Electronics" });
    const alert = (await sub.nth(1)).data!.fraudAlert;
    expect(alert).toMatchObject({
      severity: "HIGH",
      reason: "Unusual card-not-present purchase",
      amount: { amount: "-1899.00", currency: "USD" },
      merchantName: "Contoso Electronics",
    });
    const listed = await t.gql("{ accounts { id transactions(first: 1) { nodes { id status amount { amount } } } } }", {}, user.app);
    const account = listed.body.data.accounts.find((a: any) => a.id === alert.accountId);
    expect(account.transactions.nodes[0]).toEqual({ id: alert.transactionId, status: "PENDING", amount: { amount: "-1899.00" } });
    await client.dispose();
  });
});

describe.each(RECEIPT_BANKS)("receipts at %s", (bank) => {
  /**
   * The newest of alice's receipts whose purchase has posted. (A mock receipt names its purchase
   * by the posted transaction's ID even while the purchase is still pending and listed under its
   * authorization ID, so only a posted purchase can be fetched back by Receipt.transactionId.)
   */
  function postedReceiptId(): string {
    const data = t.mocks.bank(bank).data;
    const receipts = data
      .accountsOf("alice")
      .flatMap((a) => data.receiptsOf(a.id))
      .sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime());
    const receipt = receipts.find((r) => r.shipment && data.transactionsOf(r.accountId).some((x) => x.id === r.transactionId && x.postedAt));
    if (!receipt) throw new Error(`no receipt of a posted purchase at ${bank}`);
    return receipt.id;
  }

  it("a shipment update carries the receipt, joined to its transaction in events and in queries", async () => {
    const user = await userWith(bank, ["accounts:read", "transactions:read", "receipts:read"]);
    const { client, sub } = await subscribe(
      user,
      "subscription OnReceipt { receiptUpdated { id transactionId merchantName total { amount } shipment { carrier trackingNumber status updates { status } } } }",
    );
    const emitted = await bankEvent(t.mocks.adminUrl, bank, { kind: "shipment_updated", receiptId: postedReceiptId(), status: "exception" });
    const receipt = (await sub.nth(1)).data!.receiptUpdated;
    expect(emitted.event.shipmentStatus).toBe("exception");
    expect(receipt.shipment.status).toBe("EXCEPTION");
    expect(receipt.shipment.updates.at(-1)).toEqual({ status: "EXCEPTION" });

    // The receipt's transactionId is the transaction's global ID: fetch it and read its receipt back.
    const joined = await t.gql(
      "query($id: ID!) { node(id: $id) { ... on Transaction { id status receipt { id merchantName total { amount } shipment { status } } } } }",
      { id: receipt.transactionId },
      user.app,
    );
    expect(joined.body.errors).toBeUndefined();
    expect(joined.body.data.node).toEqual({
      id: receipt.transactionId,
      status: "POSTED",
      receipt: { id: receipt.id, merchantName: receipt.merchantName, total: receipt.total, shipment: { status: "EXCEPTION" } },
    });
    await client.dispose();
  });

  it("the newest shipment moves one step, and the listed transaction carries that receipt", async () => {
    const user = await userWith(bank, ["accounts:read", "transactions:read", "receipts:read"]);
    const { client, sub } = await subscribe(user, "subscription { receiptUpdated { id shipment { status } } }");
    const emitted = await bankEvent(t.mocks.adminUrl, bank, { kind: "shipment_updated" });
    const receipt = (await sub.nth(1)).data!.receiptUpdated;
    expect(receipt.shipment.status).toBe(emitted.event.shipmentStatus!.toUpperCase());

    const listed = await t.gql("{ accounts { transactions(first: 50) { nodes { id receipt { id shipment { status } } } } } }", {}, user.app);
    const carrying = listed.body.data.accounts.flatMap((a: any) => a.transactions.nodes).filter((n: any) => n.receipt?.id === receipt.id);
    expect(carrying).toHaveLength(1);
    expect(carrying[0].receipt).toEqual(receipt);
    await client.dispose();
  });
});

describe("the access log", () => {
  it("records each delivery like a read: scope, institution, consent, operation name", async () => {
    const user = await userWith("citi", ["accounts:read", "transactions:read"]);
    const { client, sub } = await subscribe(user, `subscription OnPosted { transactionPosted { id amount { amount } } }`);
    await bankEvent(t.mocks.adminUrl, "citi", { kind: "transaction_posted" });
    await bankEvent(t.mocks.adminUrl, "citi", { kind: "transaction_posted" });
    await sub.nth(2);
    const log = await t.gql("{ accessLog(first: 10) { nodes { scope institutionId operationName consentId } } }", {}, user.user);
    const consentId = (await t.gql("{ consents { id } }", {}, user.app)).body.data.consents[0].id;
    expect(log.body.data.accessLog.nodes).toEqual([
      { scope: "transactions:read", institutionId: "citi", operationName: "OnPosted", consentId },
      { scope: "transactions:read", institutionId: "citi", operationName: "OnPosted", consentId },
    ]);
    await client.dispose();
  });
});

describe("one event, many subscriptions of one person", () => {
  it("each subscription to the same field gets it, the same data and cursor, each on the access log under its own operation", async () => {
    const user = await userWith("citi", ["accounts:read", "transactions:read"]);
    const first = await subscribe(user, `subscription First { transactionPosted { ${TRANSACTION_FIELDS} } }`);
    const second = collect(first.client, `subscription Second { transactionPosted { id amount { amount currency } merchant { name } } }`);
    await subscribersReady(t.gateway, user.userId, 2);

    await bankEvent(t.mocks.adminUrl, "citi", { kind: "transaction_posted", amountMinor: 4321, merchant: "Chipotle" });
    const [a, b] = [await first.sub.nth(1), await second.nth(1)];
    expect(a.data!.transactionPosted).toMatchObject({ amount: { amount: "-43.21", currency: "USD" }, merchant: { name: "Chipotle" } });
    // Each gets the fields it asked for, of the same transaction.
    expect(b.data!.transactionPosted).toEqual({
      id: a.data!.transactionPosted.id,
      amount: { amount: "-43.21", currency: "USD" },
      merchant: { name: "Chipotle" },
    });
    expect(b.extensions).toEqual(a.extensions);
    expect((a.extensions as { event: { cursor: string } }).event.cursor).toEqual(expect.any(String));

    const log = await t.gql("{ accessLog(first: 10) { nodes { scope institutionId operationName } } }", {}, user.user);
    expect(log.body.data.accessLog.nodes).toEqual(
      expect.arrayContaining([
        { scope: "transactions:read", institutionId: "citi", operationName: "First" },
        { scope: "transactions:read", institutionId: "citi", operationName: "Second" },
      ]),
    );
    expect(log.body.data.accessLog.nodes).toHaveLength(2);
    await first.client.dispose();
  });
});
