import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["citi", "us_bank"] } });
});
afterAll(() => t?.close());

it("smoke", async () => {
  const u = await t.newUser("smoke", ["citi", "us_bank"]);
  await t.grant(u, "citi", ["accounts:read", "balances:read"]);
  await t.grant(u, "us_bank", ["accounts:read", "balances:read", "transactions:read"]);
  const r = await t.gql(`query Dash { accounts { id name mask institution { id status } balance { current { amount currency } asOf } transactions(first: 3) { nodes { id amount { amount } date status pendingTransactionId } pageInfo { hasNextPage endCursor } } } }`, {}, u.app);
  console.log(JSON.stringify(r.body, null, 1).slice(0, 4000));
  const log = await t.gql(`{ accessLog(first: 50) { nodes { scope institutionId operationName } } }`, {}, u.user);
  console.log(JSON.stringify(log.body));
  expect(r.status).toBe(200);
});
