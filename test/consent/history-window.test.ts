/**
 * A consent's history window (`historyDays`) reaches every path to a transaction or a receipt:
 * under `historyDays: 2`, a receipt issued before the window is invisible in `Account.receipts`,
 * by `node(id)` and as `Transaction.receipt` — even on a transaction inside the window — while an
 * app without a window (the scout) still sees it, so the test is not vacuous.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { startTestGateway, TEST_ANCHOR, APP, type TestGateway, type TestUser } from "../support/gateway.js";
import { SCOUT, SETUP_TIMEOUT_MS, dataOf, grantFor, registerScout } from "./consent-harness.js";

const DAY = 86_400_000;
const SCOPES = ["accounts:read", "transactions:read", "receipts:read"];
const EVERYTHING = `{
  accounts(institutionIds: ["amex"]) {
    receipts(first: 100) { id issuedAt }
    transactions(first: 100) { nodes { id date receipt { id issuedAt } } }
  }
}`;
const NODE = `query N($id: ID!) { node(id: $id) { __typename id } }`;

interface Seen {
  receipts: Array<{ id: string; issuedAt: string }>;
  transactions: Array<{ id: string; date: string; receipt: { id: string; issuedAt: string } | null }>;
}

const ymd = (instant: string) => instant.slice(0, 10);
const clock = new ManualClock(TEST_ANCHOR);
let t: TestGateway;
let alice: TestUser;
let scoutToken: string;
/** A posted transaction whose receipt was issued on an earlier day: the window is set to start on the transaction's date. */
let straddling: Seen["transactions"][number] & { receipt: { id: string; issuedAt: string } };
let earliest: string;

async function seen(token: string): Promise<Seen> {
  const accounts = dataOf(await t.gql(EVERYTHING, {}, token), "read").accounts as Array<{
    receipts: Seen["receipts"];
    transactions: { nodes: Seen["transactions"] };
  }>;
  return { receipts: accounts.flatMap((a) => a.receipts), transactions: accounts.flatMap((a) => a.transactions.nodes) };
}

beforeAll(async () => {
  t = await startTestGateway({ clock, mocks: { banks: ["amex"] } });
  alice = await t.newUser("window", ["amex"]);
  await registerScout(t);
  await grantFor(t, alice, "amex", SCOPES, SCOUT);
  scoutToken = await t.token(alice.userId, { client: SCOUT });
  const all = await seen(scoutToken);
  const candidates = all.transactions.filter((tx): tx is typeof straddling => tx.receipt !== null && ymd(tx.receipt.issuedAt) < tx.date);
  expect(candidates.length, "the mock data has a purchase posted after its receipt's day").toBeGreaterThan(0);
  straddling = candidates[0]!; // newest first
  // historyDays: 2 → the window starts two days before "now": on the straddling transaction's date.
  clock.set(new Date(Date.parse(`${straddling.date}T12:00:00Z`) + 2 * DAY));
  earliest = straddling.date;
  await grantFor(t, alice, "amex", SCOPES, APP, { historyDays: 2 });
}, SETUP_TIMEOUT_MS);
afterAll(() => t?.close());

it("the scout (no window) sees the older receipt: the probe is not vacuous", async () => {
  const all = await seen(scoutToken);
  expect(all.receipts.some((r) => ymd(r.issuedAt) < earliest)).toBe(true);
  expect(all.receipts.map((r) => r.id)).toContain(straddling.receipt.id);
});

it("Account.receipts lists only receipts issued inside the window", async () => {
  const [mine, all] = [await seen(alice.app), await seen(scoutToken)];
  expect(mine.receipts).toEqual(all.receipts.filter((r) => ymd(r.issuedAt) >= earliest));
  expect(mine.receipts.map((r) => r.id)).not.toContain(straddling.receipt.id);
});

it("transactions stop at the window; Transaction.receipt is null where the receipt predates it", async () => {
  const mine = await seen(alice.app);
  expect(mine.transactions.length).toBeGreaterThan(0);
  expect(mine.transactions.every((tx) => tx.date >= earliest)).toBe(true);
  const same = mine.transactions.find((tx) => tx.id === straddling.id);
  expect(same, "the straddling transaction itself is inside the window").toBeDefined();
  expect(same!.receipt).toBeNull();
  for (const tx of mine.transactions) if (tx.receipt) expect(ymd(tx.receipt.issuedAt) >= earliest).toBe(true);
});

it("node(<receipt issued before the window>) is null, like a missing one; node(<its transaction>) still answers", async () => {
  const hidden = await t.gql(NODE, { id: straddling.receipt.id }, alice.app);
  expect(hidden.body).toEqual({ data: { node: null } });
  const tx = await t.gql(NODE, { id: straddling.id }, alice.app);
  expect(tx.body).toEqual({ data: { node: { __typename: "Transaction", id: straddling.id } } });
  const scout = await t.gql(NODE, { id: straddling.receipt.id }, scoutToken);
  expect(scout.body).toEqual({ data: { node: { __typename: "Receipt", id: straddling.receipt.id } } });
});

it("node(<transaction before the window>) is null", async () => {
  const old = (await seen(scoutToken)).transactions.find((tx) => tx.date < earliest);
  expect(old).toBeDefined();
  expect((await t.gql(NODE, { id: old!.id }, alice.app)).body).toEqual({ data: { node: null } });
});
