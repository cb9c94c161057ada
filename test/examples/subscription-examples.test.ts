/**
 * Every subscription in examples/*.graphql validates against schema.graphql and delivers over a
 * real WebSocket (graphql-ws) when its event happens: a signed webhook from the mock bank for
 * bank events, the consent-expiry sweep for `consentExpiring`. One fixture per operation name.
 */
import { buildSchema, OperationTypeNode, parse, validate } from "graphql";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockEventRequest } from "../../mocks/events/make-event.js";
import { loadExampleOperations, type ExampleOperation } from "../../src/playground/example-operations.js";
import { bankEvent, collect, subscribersReady, targetWebhooks, wsClient } from "../realtime/realtime-support.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";

const SCHEMA_FILE = new URL("../../schema.graphql", import.meta.url);
const DECIMAL = /^-?\d+\.\d{2}$/;
const ALL_SCOPES = ["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read", "alerts:read"];

let t: TestGateway;
let operations: ExampleOperation[];

beforeAll(async () => {
  operations = (await loadExampleOperations()).filter((o) => o.type === OperationTypeNode.SUBSCRIPTION);
  t = await startTestGateway({ mocks: { banks: ["paypal"] } });
  await targetWebhooks(t.mocks.adminUrl, t.gateway);
});
afterAll(() => t?.close());

/** A PayPal user with every scope granted to the app, and their PayPal account IDs. */
async function subscriber(prefix: string, consent: { durationDays?: number } = {}): Promise<{ user: TestUser; accountIds: string[] }> {
  const user = await t.newUser(prefix, ["paypal"]);
  await t.grant(user, "paypal", ALL_SCOPES, consent);
  const accounts = await t.gql(`{ accounts { id } }`, {}, user.app);
  return { user, accountIds: accounts.body.data.accounts.map((a: { id: string }) => a.id) };
}

/** Subscribes with the example as `user`, makes the event happen, and returns the first delivery. */
async function firstDelivery(operation: ExampleOperation, user: TestUser, happen: () => Promise<unknown>): Promise<any> {
  const client = wsClient(t.gateway, user[operation.token]);
  try {
    const subscription = collect(client, operation.source);
    await subscribersReady(t.gateway, user.userId);
    await happen();
    const result = await subscription.nth(1);
    expect(result.errors).toBeUndefined();
    subscription.dispose();
    return result.data;
  } finally {
    await client.dispose();
  }
}

const atPaypal = (request: MockEventRequest) => () => bankEvent(t.mocks.adminUrl, "paypal", request);

const FIXTURES: Record<string, (operation: ExampleOperation) => Promise<void>> = {
  async BalanceUpdated(operation) {
    const { user, accountIds } = await subscriber("sub-balance");
    const data = await firstDelivery(operation, user, atPaypal({ kind: "balance_changed" }));
    expect(accountIds).toContain(data.balanceUpdated.accountId);
    expect(data.balanceUpdated.balance.current.amount).toMatch(DECIMAL);
    expect(data.balanceUpdated.balance.current.currency).toBe("USD");
  },

  async TransactionPending(operation) {
    const { user } = await subscriber("sub-pending");
    const data = await firstDelivery(operation, user, atPaypal({ kind: "transaction_pending", amountMinor: 1_999 }));
    expect(data.transactionPending).toMatchObject({ status: "PENDING", amount: { amount: "-19.99", currency: "USD" } });
  },

  async TransactionPosted(operation) {
    const { user } = await subscriber("sub-posted");
    const data = await firstDelivery(operation, user, atPaypal({ kind: "transaction_posted", amountMinor: 4_200 }));
    expect(data.transactionPosted).toMatchObject({ status: "POSTED", amount: { amount: "-42.00", currency: "USD" } });
  },

  async ReceiptUpdated(operation) {
    const { user } = await subscriber("sub-receipt");
    const data = await firstDelivery(operation, user, atPaypal({ kind: "shipment_updated", status: "out_for_delivery" }));
    expect(data.receiptUpdated.shipment.status).toBe("OUT_FOR_DELIVERY");
    expect(data.receiptUpdated.shipment.updates.at(-1).status).toBe("OUT_FOR_DELIVERY");
    expect(data.receiptUpdated.transactionId).toEqual(expect.any(String));
  },

  async FraudAlert(operation) {
    const { user, accountIds } = await subscriber("sub-fraud");
    const data = await firstDelivery(operation, user, atPaypal({ kind: "fraud_alert", amountMinor: 99_900 }));
    expect(accountIds).toContain(data.fraudAlert.accountId);
    expect(["LOW", "MEDIUM", "HIGH"]).toContain(data.fraudAlert.severity);
    expect(data.fraudAlert.reason).toEqual(expect.any(String));
  },

  async ConsentRenewed(operation) {
    const { user } = await subscriber("sub-renewed");
    const id = user.consents["paypal"];
    const data = await firstDelivery(operation, user, () => t.gql("mutation($id: ID!) { renewConsent(id: $id) { id } }", { id }, user.user));
    expect(data.consentRenewed).toMatchObject({ id, status: "AUTHORIZED", scopes: ALL_SCOPES });
  },

  async ConsentExpiring(operation) {
    const { user } = await subscriber("sub-expiring", { durationDays: 5 });
    const data = await firstDelivery(operation, user, () => t.gateway.services.realtime.consentExpiry.sweep());
    expect(data.consentExpiring).toMatchObject({
      id: user.consents["paypal"],
      status: "AUTHORIZED",
      link: { id: user.links["paypal"], institution: { id: "paypal" } },
    });
    expect(data.consentExpiring.scopes).toEqual(ALL_SCOPES);
  },
};

describe("examples/*.graphql subscriptions", () => {
  it("are all named operations with a fixture each", () => {
    expect(operations.map((o) => o.name).sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it("validate against schema.graphql", async () => {
    const schema = buildSchema(await readFile(SCHEMA_FILE, "utf8"));
    for (const operation of operations) {
      expect(validate(schema, parse(operation.source)).map((e) => `${operation.name}: ${e.message}`)).toEqual([]);
    }
  });

  it.each(Object.keys(FIXTURES))("%s delivers over WebSocket", async (name) => {
    const operation = operations.find((o) => o.name === name);
    expect(operation, `no example subscription named ${name}`).toBeDefined();
    await FIXTURES[name]!(operation!);
  });
});
