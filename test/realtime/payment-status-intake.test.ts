/**
 * The gateway takes a bank's payment status webhooks (issue 16) like its other webhooks — signed,
 * answered 200, each event id once in the replay ledger — but does not put them in the person's
 * event log: they are no app's bank data (payments take them from here). Over real HTTP: the mock
 * bank sends a real payment's steps, each twice (its duplicate fault), to the gateway.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { chaseEvents } from "../../mocks/chase/events.js";
import { signWebhookBody, defaultMockWebhookSecret } from "../../mocks/events/webhook-signing.js";
import { moneyFromMinor } from "../../src/domain/money.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { PAYMENT_BANKS, paymentSession, railAt } from "../support/payment-banks.js";
import { until } from "../support/webhook-receiver.js";

const CHASE = PAYMENT_BANKS.find((b) => b.module.id === "chase")!;
let t: TestGateway;
let user: TestUser;
let webhooks: string;

beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["chase"] } });
  webhooks = `${new URL(t.gateway.url).origin}/webhooks`;
  t.mocks.events.setWebhookTarget(webhooks);
  user = await t.newUser("payer", ["chase"]);
  await t.grant(user, "chase", ["accounts:read", "balances:read", "transactions:read"]);
});
afterAll(async () => {
  await t?.close();
});

it("answers a payment status webhook 200 once and as a duplicate after, and logs no event for apps", async () => {
  const bank = t.mocks.bank("chase");
  const rail = railAt(t.mocks, CHASE);
  const alice = await paymentSession(t.mocks, CHASE);
  const [payee] = await rail.listPayees(alice);
  await bank.setFaults({ paymentStepMs: 30, paymentStatusWebhooks: "duplicated" });
  const sent = await rail.submit(alice, {
    idempotencyKey: randomUUID(),
    fromAccountId: bank.data.accountsOf("alice")[0]!.id,
    payee: { kind: "REGISTERED_PAYEE", payeeId: payee!.payeeId },
    amount: moneyFromMinor(4_200, "USD"),
    reference: "Rent share",
  });
  await until("the payment settles", () => bank.payments.get("alice", sent.bankPaymentId)?.status === "settled");
  await t.mocks.events.idle("chase");
  const deliveries = t.mocks.events.deliveries("chase");
  expect(deliveries.refused).toBe(0);
  expect(deliveries.abandoned).toEqual([]);

  // The steps' account events (the held and the posted debit, the balances) reached the app; the statuses did not.
  const page = await t.gql("query { events(first: 50) { nodes { kind } } }", {}, user.app);
  expect(page.body.errors).toBeUndefined();
  const kinds = page.body.data.events.nodes.map((n: { kind: string }) => n.kind);
  expect(kinds.length).toBeGreaterThan(0);
  expect(new Set(kinds)).toEqual(new Set(["TRANSACTION_PENDING", "TRANSACTION_POSTED", "BALANCE_CHANGED"]));

  // One status delivery sent by hand, twice: accepted once, then a duplicate (the replay ledger).
  const payment = bank.payments.get("alice", sent.bankPaymentId)!;
  const body = JSON.stringify(chaseEvents.renderPayment!(payment, randomUUID()));
  const post = async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await fetch(`${webhooks}/chase`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [chaseEvents.timestampHeader]: timestamp,
        [chaseEvents.signatureHeader]: signWebhookBody(defaultMockWebhookSecret("chase"), timestamp, body),
      },
      body,
    });
    return { status: response.status, body: await response.json() };
  };
  expect(await post()).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
  expect(await post()).toEqual({ status: 200, body: { accepted: 0, duplicates: 1 } });
  const after = await t.gql("query { events(first: 50) { nodes { kind } } }", {}, user.app);
  expect(after.body.data.events.nodes).toHaveLength(kinds.length);
});
