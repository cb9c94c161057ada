/**
 * A purchase is never shown twice. Citi and U.S. Bank keep a posted purchase's pending
 * authorization in their listings (below the posted row, often on a later page): across page
 * boundaries the gateway never shows a pending row whose posted row it listed. Every bank's
 * posted row names its pending row in `pendingTransactionId`, an ID that `node(id:)` resolves to
 * that very row while the bank still lists it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BANK_IDS, BANKS_KEEPING_PENDING, linkedUser, PATIENT_ENV, UNCACHED_ENV } from "../support/dashboard.js";
import { bankRows, dedupe, listed, type DateRange } from "../support/expected-transactions.js";
import { startTestGateway, TEST_ANCHOR, type GraphQLResponse, type TestGateway, type TestUser } from "../support/gateway.js";

const PAGE_QUERY = /* GraphQL */ `
  query Page($id: ID!, $first: Int!, $after: String, $from: LocalDate, $to: LocalDate) {
    account(id: $id) {
      transactions(first: $first, after: $after, from: $from, to: $to) {
        nodes {
          id
          status
          date
          amount {
            amount
            currency
          }
          pendingTransactionId
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;
const NODE_QUERY = `query($id: ID!) { node(id: $id) { __typename id ... on Transaction { status date amount { amount currency } } } }`;

/** Three weeks: a few dozen pending→posted pairs per account. */
const RANGE: DateRange = { from: "2026-05-15", to: "2026-06-05" };
const HOUR = 3_600_000;

interface Row {
  id: string;
  status: "PENDING" | "POSTED";
  date: string;
  amount: { amount: string; currency: string };
  pendingTransactionId: string | null;
}
interface Connection {
  nodes: Row[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

let t: TestGateway;
let user: TestUser;

beforeAll(async () => {
  // No upstream cache: the live posting below must be seen on the very next read.
  t = await startTestGateway({ env: { ...UNCACHED_ENV, ...PATIENT_ENV } });
  user = await linkedUser(t, "dedupe");
});
afterAll(() => t?.close());

async function firstAccount(bank: string): Promise<{ id: string; mockId: string }> {
  const mock = t.mocks.bank(bank).data.accountsOf("alice")[0]!;
  const response = await t.gql<{ accounts: Array<{ id: string; name: string }> }>(`{ accounts(institutionIds: ["${bank}"]) { id name } }`, {}, user.app);
  return { id: response.body.data!.accounts.find((a) => a.name === mock.name)!.id, mockId: mock.id };
}

async function walk(id: string, first: number, range: DateRange = {}): Promise<Row[][]> {
  const pages: Row[][] = [];
  let after: string | null = null;
  do {
    const response: GraphQLResponse<{ account: { transactions: Connection } }> = await t.gql(PAGE_QUERY, { id, first, after, ...range }, user.app);
    expect(response.body.errors).toBeUndefined();
    const connection = response.body.data!.account.transactions;
    pages.push(connection.nodes);
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    expect(pages.length).toBeLessThan(500);
  } while (after);
  return pages;
}

const listedRow = ({ status, date, amount }: Row) => ({ status, date, amount });

describe.each(BANKS_KEEPING_PENDING)("at %s, which keeps superseded pending rows", (bank) => {
  let account: { id: string; mockId: string };

  beforeAll(async () => {
    account = await firstAccount(bank);
  });

  it.each([1, 2, 3])("never shows a pending row whose posted row was listed, with pages of %i", async (first) => {
    const rows = bankRows(t.mocks.bank(bank), account.mockId, RANGE);
    const expected = dedupe(rows);
    // The bank does list superseded pending rows here, so the gateway has something to drop.
    expect(rows.length - expected.length).toBeGreaterThan(5);

    const pages = await walk(account.id, first, RANGE);
    const shown = pages.flat();
    expect(pages.every((p) => p.length <= first)).toBe(true);
    expect(shown.map(listedRow)).toEqual(expected.map((r) => listed(r)));

    const shownIds = new Set(shown.map((r) => r.id));
    const replaced = shown.filter((r) => r.status === "POSTED" && r.pendingTransactionId).map((r) => r.pendingTransactionId!);
    expect(replaced).toHaveLength(expected.filter((r) => r.status === "posted" && r.pendingId).length);
    expect(replaced.filter((id) => shownIds.has(id))).toEqual([]);
  });
});

describe.each(BANK_IDS)("pendingTransactionId at %s", (bank) => {
  const keeps = BANKS_KEEPING_PENDING.includes(bank);

  it(`resolves through node(id) ${keeps ? "to the pending row the bank still lists" : "to null: the bank no longer lists it"}`, async () => {
    const account = await firstAccount(bank);
    const response = await t.gql(PAGE_QUERY, { id: account.id, first: 40, to: "2026-06-01" }, user.app);
    const page: Row[] = response.body.data.account.transactions.nodes;
    const posted = page.filter((r) => r.status === "POSTED" && r.pendingTransactionId).slice(0, 3);
    expect(posted).toHaveLength(3);
    for (const row of posted) {
      const response = await t.gql(NODE_QUERY, { id: row.pendingTransactionId }, user.app);
      expect(response.body.errors).toBeUndefined();
      if (!keeps) {
        expect(response.body.data).toEqual({ node: null });
        continue;
      }
      const node = response.body.data.node;
      expect(node).toMatchObject({ __typename: "Transaction", id: row.pendingTransactionId, status: "PENDING", amount: row.amount });
      expect(node.date <= row.date).toBe(true);
    }
  });

  it("a purchase seen pending, then posted, is listed once: the posted row names the pending row's ID", async () => {
    const account = await firstAccount(bank);
    const mock = t.mocks.bank(bank).data;
    const purchase = mock.addPendingPurchase(account.mockId, new Date(TEST_ANCHOR.getTime() + 2 * HOUR), 4321);
    const top = async () => (await walk(account.id, 20, { from: "2026-06-15", to: "2026-06-16" })).flat();
    const isOurs = (r: Row) => r.amount.amount === "-43.21";

    const before = (await top()).filter(isOurs);
    expect(before.map((r) => [r.status, r.date])).toEqual([["PENDING", "2026-06-15"]]);

    // Posted the next day: the two rows carry different dates, the ID must not.
    mock.post(purchase.id, new Date(TEST_ANCHOR.getTime() + 26 * HOUR));
    const after = (await top()).filter(isOurs);
    expect(after.map((r) => [r.status, r.date, r.pendingTransactionId])).toEqual([["POSTED", "2026-06-16", before[0]!.id]]);
    expect(after[0]!.id).not.toBe(before[0]!.id);
  });
});
