import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t?.close());

it.each(["wells_fargo", "us_bank", "paypal", "amex", "chase", "citi"])("links %s", async (bank) => {
  const user = await t.newUser("smoke", [bank]);
  await t.grant(user, bank, ["accounts:read", "balances:read"]);
  const r = await t.gql(`{ accounts { id name balance { current { amount } } } }`, {}, user.app);
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data.accounts.length).toBeGreaterThan(0);
});
