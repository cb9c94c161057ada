/**
 * Limits hold across instances (issue 16): two gateway instances, each with its own connection
 * pool to one real PostgreSQL schema, take concurrent intents of one person over the daily limit;
 * exactly the allowed ones are approved — the decision is taken under the consent's limits row
 * locked FOR UPDATE, in the transaction that inserts the intent. Same key sent to both instances at
 * once: one intent. The payment sweeps on both instances at once: each overdue intent expires (and
 * is announced) once, and a quiet payment is asked about at its bank by one instance. The bank is
 * the mock Chase, through its payment rail.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { Database } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { openPostgres } from "../../src/store/postgres.js";
import { testDatabaseUrl } from "../support/databases.js";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { BANK_SCOPES, startTestGateway, TEST_ANCHOR, type TestGateway, type TestUser } from "../support/gateway.js";
import { PAYMENT_BANKS, paymentSession, railAt } from "../support/payment-banks.js";
import { MINUTE_MS, type ManualClock } from "../../src/clock.js";
import { createIntent, grantPayments, listPayments, payableAccount, readPayment, shownDetailsSha256, toldStatuses } from "./payment-support.js";

const schema = `bankgraph_test_${randomBytes(6).toString("hex")}`;
let cluster: MockCluster;
let mom: string;
let dbA: Database;
let dbB: Database;
let a: TestGateway;
let b: TestGateway;

beforeAll(async () => {
  cluster = await startMockCluster({ anchor: TEST_ANCHOR });
  dbA = await openPostgres(testDatabaseUrl, { schema, max: 6, applicationName: "bankgraph-test-a" });
  await migrate(dbA);
  dbB = await openPostgres(testDatabaseUrl, { schema, max: 6, applicationName: "bankgraph-test-b" });
  a = await startTestGateway({ cluster, db: dbA });
  // B registers last at the banks: people link through B.
  b = await startTestGateway({ cluster, db: dbB });
  const chase = PAYMENT_BANKS.find((bank) => bank.module.id === "chase")!;
  const [payee] = await railAt(cluster, chase).listPayees(await paymentSession(cluster, chase));
  mom = payee!.payeeId;
}, 180_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await cluster?.close();
  try {
    await dbA?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await dbA?.close();
    await dbB?.close();
  }
});

/** A person linked at Chase through B with the bank's payment permission. */
async function payerAtChase(prefix: string): Promise<TestUser> {
  const user = await b.newUser(prefix, []);
  const outcome = await b.linkAtBank(user.userId, "chase", { scopes: [...BANK_SCOPES, "payments:write"] });
  if (outcome.status !== "LINKED") throw new Error(outcome.error);
  user.links["chase"] = encodeGlobalId("Link", outcome.link.id);
  return user;
}

describe("payment limits on two instances sharing PostgreSQL", () => {
  it("ten concurrent intents of 10.00 against a daily count of 3 and 35.00: exactly 3 approved", async () => {
    const user = await payerAtChase("race");
    await grantPayments(b, user, "chase", { perPayment: "10.00", dailyAmount: "35.00", dailyCount: 3 });
    const account = (await payableAccount(b, user, "chase")).id;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => createIntent(i % 2 ? a : b, user.app, { fromAccountId: account, payee: { payeeId: mom }, amount: "10.00" })),
    );
    const decisions = answers.map((r) => r.body.data?.createPaymentIntent?.decision ?? JSON.stringify(r.body.errors));
    expect(decisions.filter((d) => d === "APPROVED")).toHaveLength(3);
    expect(decisions.filter((d) => d === "DECLINED")).toHaveLength(7);
    expect((await listPayments(a, user.app)).filter((p) => p.status === "REQUIRES_CONFIRMATION")).toHaveLength(3);
  });

  it("the same key on both instances at once: one intent", async () => {
    const user = await payerAtChase("same-key");
    await grantPayments(b, user, "chase", { perPayment: "10.00", dailyAmount: "100.00", dailyCount: 10 });
    const account = (await payableAccount(b, user, "chase")).id;
    const key = randomUUID();
    const answers = await Promise.all(
      [a, b, a, b].map((gateway) => createIntent(gateway, user.app, { fromAccountId: account, payee: { payeeId: mom }, idempotencyKey: key })),
    );
    const ids = new Set(answers.filter((r) => !r.body.errors).map((r) => r.body.data.createPaymentIntent.id));
    const codes = answers.flatMap((r) => r.body.errors?.map((e) => e.extensions?.["code"]) ?? []);
    expect(ids.size).toBe(1);
    expect(codes.every((c) => c === "IDEMPOTENCY_IN_PROGRESS")).toBe(true);
    expect(await listPayments(b, user.app)).toHaveLength(1);
  });

  it("the expiry sweep on both instances at once: each overdue intent EXPIRED once, one event each", async () => {
    const user = await payerAtChase("expiry");
    await grantPayments(b, user, "chase", { perPayment: "10.00", dailyAmount: "100.00", dailyCount: 10 });
    const account = (await payableAccount(b, user, "chase")).id;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++)
      ids.push(
        (await createIntent(i % 2 ? a : b, user.app, { fromAccountId: account, payee: { payeeId: mom }, amount: "5.00" })).body.data.createPaymentIntent.id,
      );
    for (const gateway of [a, b]) (gateway.clock as ManualClock).advance(11 * MINUTE_MS);
    await Promise.all([a.gateway.services.paymentExpiry.sweep(), b.gateway.services.paymentExpiry.sweep(), a.gateway.services.paymentExpiry.sweep()]);
    for (const id of ids) {
      const history = (await readPayment(a, user.app, id)).statusHistory;
      expect(
        history.filter((h) => h.status === "EXPIRED"),
        id,
      ).toEqual([{ status: "EXPIRED", reason: "NOT_CONFIRMED_IN_TIME", source: "SYSTEM" }]);
      expect((await toldStatuses(b, user.app, id)).map((s) => s.status)).toEqual(["REQUIRES_CONFIRMATION", "EXPIRED"]);
    }
  });

  it("the status poller on both instances at once: a quiet payment is asked about by one of them", async () => {
    const user = await payerAtChase("poll");
    await grantPayments(b, user, "chase", { perPayment: "10.00", dailyAmount: "100.00", dailyCount: 10 });
    const account = (await payableAccount(b, user, "chase")).id;
    await cluster.bank("chase").setFaults({ paymentStepMs: 60_000 });
    const payment = (await createIntent(b, user.app, { fromAccountId: account, payee: { payeeId: mom }, amount: "5.00" })).body.data.createPaymentIntent;
    const submitted = await b.gateway.services.payments.confirmAndSubmit(payment.id, user.userId, shownDetailsSha256(account, payment));
    expect(submitted.status).toBe("SUBMITTED");
    for (const gateway of [a, b]) (gateway.clock as ManualClock).advance(3 * MINUTE_MS);
    const asked = await Promise.all([a.gateway.services.paymentStatusPolls.sweep(), b.gateway.services.paymentStatusPolls.sweep()]);
    expect(asked[0] + asked[1]).toBe(1);
    expect((await readPayment(a, user.app, payment.id)).status).toBe("SUBMITTED");
    await cluster.bank("chase").setFaults({ paymentStepMs: 2_000 });
  });
});
