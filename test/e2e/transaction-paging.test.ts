/**
 * `Account.transactions(first, after, from, to)` over each bank's native paging (offsets,
 * next-page links, page numbers, opaque tokens): walking `endCursor` to the end lists exactly the
 * bank's rows for the range, deduped; every edge cursor resumes right after its edge; a cursor
 * the gateway did not issue is BAD_USER_INPUT and costs no bank call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BANK_IDS, linkedUser, PATIENT_ENV } from "../support/dashboard.js";
import { bankRows, dedupe, listed, type DateRange, type ListedTransaction } from "../support/expected-transactions.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";

const PAGE_QUERY = /* GraphQL */ `
  query Page($id: ID!, $first: Int!, $after: String, $from: LocalDate, $to: LocalDate) {
    account(id: $id) {
      transactions(first: $first, after: $after, from: $from, to: $to) {
        edges {
          cursor
          node {
            id
            status
            date
            amount {
              amount
              currency
            }
          }
        }
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
      }
    }
  }
`;

const RANGE: DateRange = { from: "2026-03-01", to: "2026-04-30" };
const PAGE_SIZE = 7;

interface Edge {
  cursor: string;
  node: ListedTransaction & { id: string };
}
interface Page {
  edges: Edge[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

let t: TestGateway;
let user: TestUser;

beforeAll(async () => {
  t = await startTestGateway({ env: PATIENT_ENV });
  user = await linkedUser(t, "paging");
});
afterAll(() => t?.close());

/** Global ID and mock account ID of alice's first account at the bank. */
async function firstAccount(bank: string): Promise<{ id: string; mockId: string }> {
  const mock = t.mocks.bank(bank).data.accountsOf("alice")[0]!;
  const response = await t.gql<{ accounts: Array<{ id: string; name: string }> }>(`{ accounts(institutionIds: ["${bank}"]) { id name } }`, {}, user.app);
  return { id: response.body.data!.accounts.find((a) => a.name === mock.name)!.id, mockId: mock.id };
}

async function page(id: string, args: { first: number; after?: string | null } & DateRange) {
  return t.gql<{ account: { transactions: Page | null } | null }>(PAGE_QUERY, { id, ...args }, user.app);
}

async function okPage(id: string, args: { first: number; after?: string | null } & DateRange): Promise<Page> {
  const response = await page(id, args);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.account!.transactions!;
}

const shown = (edge: Edge): ListedTransaction => ({ status: edge.node.status, date: edge.node.date, amount: edge.node.amount });

/** Every page of the range, following endCursor until hasNextPage is false. */
async function walk(id: string, first: number, range: DateRange): Promise<Page[]> {
  const pages: Page[] = [];
  let after: string | null = null;
  do {
    const next = await okPage(id, { first, after, ...range });
    pages.push(next);
    after = next.pageInfo.hasNextPage ? next.pageInfo.endCursor : null;
    expect(pages.length).toBeLessThan(200);
  } while (after);
  return pages;
}

describe.each(BANK_IDS)("transactions at %s", (bank) => {
  let account: { id: string; mockId: string };
  let pages: Page[];
  let expected: ListedTransaction[];

  beforeAll(async () => {
    account = await firstAccount(bank);
    pages = await walk(account.id, PAGE_SIZE, RANGE);
    expected = dedupe(bankRows(t.mocks.bank(bank), account.mockId, RANGE)).map((r) => listed(r));
  });

  it("walking endCursor lists exactly the bank's rows for the range, deduped, newest first", () => {
    const edges = pages.flatMap((p) => p.edges);
    expect(expected.length).toBeGreaterThan(3 * PAGE_SIZE);
    expect(edges.map(shown)).toEqual(expected);
    expect(new Set(edges.map((e) => e.node.id)).size).toBe(edges.length);
    for (const p of pages) {
      expect(p.edges.length).toBeLessThanOrEqual(PAGE_SIZE);
      expect(p.pageInfo.hasPreviousPage).toBe(false);
      expect(p.pageInfo.startCursor).toBe(p.edges[0]?.cursor ?? null);
    }
    expect(pages.at(-1)!.pageInfo.hasNextPage).toBe(false);
  });

  it("resumes right after any edge's cursor", async () => {
    const edges = pages.flatMap((p) => p.edges);
    const middle = pages[1]!.edges;
    const offset = pages[0]!.edges.length;
    for (const [k, edge] of middle.entries()) {
      const resumed = await okPage(account.id, { first: 3, after: edge.cursor, ...RANGE });
      const position = offset + k + 1;
      expect(resumed.edges.length).toBeGreaterThan(0);
      expect(resumed.edges.map(shown)).toEqual(expected.slice(position, position + resumed.edges.length));
      expect(resumed.edges.map((e) => e.node.id)).toEqual(edges.slice(position, position + resumed.edges.length).map((e) => e.node.id));
    }
  });

  it("answers an empty range with an empty page and no cursor", async () => {
    expect(await okPage(account.id, { first: 5, from: "2020-01-01", to: "2020-01-31" })).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  /** Cursors this gateway never issued for this query. */
  const forged = async (): Promise<Record<string, string>> => {
    const real = pages[0]!.pageInfo.endCursor!;
    const otherRange = (await okPage(account.id, { first: PAGE_SIZE })).pageInfo.endCursor!;
    return {
      garbage: "not a cursor!",
      truncated: real.slice(0, -6),
      "bad signature": `${real.split(".")[0]}.${Buffer.alloc(16).toString("base64url")}`,
      "unsigned, well-formed": Buffer.from(JSON.stringify({ u: null, s: 3, h: [] })).toString("base64url"),
      "forged bank token": Buffer.from(JSON.stringify({ u: "forged-upstream-token", s: 0, h: [] })).toString("base64url"),
      "a bank next-page link": "https://bank.invalid/v2/transactions?page_token=forged",
      "an account ID": account.id,
      "another date range's cursor": otherRange,
    };
  };

  it("refuses a forged or garbled `after` with BAD_USER_INPUT, without calling the bank", async () => {
    for (const [what, after] of Object.entries(await forged())) {
      t.resetBankCalls();
      const response = await page(account.id, { first: PAGE_SIZE, after, ...RANGE });
      expect({ what, data: response.body.data }).toEqual({ what, data: { account: { transactions: null } } });
      expect({ what, codes: response.body.errors?.map((e) => [e.extensions?.["code"], e.path]) }).toEqual({
        what,
        codes: [["BAD_USER_INPUT", ["account", "transactions"]]],
      });
      expect({ what, calls: t.bankCalls()[bank]!.byKind["transactions"] ?? 0 }).toEqual({ what, calls: 0 });
    }
  });
});
