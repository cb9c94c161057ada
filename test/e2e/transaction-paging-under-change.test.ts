/**
 * Exact pages while the bank's data changes underneath: at every bank, walking an account of
 * 1,000+ transactions with `first: 20` while a bank event fires between every two pages (a new
 * purchase, a posting of a pending purchase the walk has not reached yet, a posting of a pending
 * purchase already listed, a posting of a purchase that arrived during the walk) lists no
 * transaction twice and skips none that existed when the walk began — a purchase whose pending
 * row posts before the walk reaches it is listed once, as pending or as posted; every page but
 * the last has exactly `first` edges; no cursor is over 1 KB, however deep.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockEventRequest } from "../../mocks/events/make-event.js";
import type { MockBankServer } from "../../mocks/mock-bank-server.js";
import { decodeGlobalId } from "../../src/schema/global-id.js";
import { BANK_IDS, linkedUser, PATIENT_ENV } from "../support/dashboard.js";
import { bankRows } from "../support/expected-transactions.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { bankEvent, targetWebhooks } from "../realtime/realtime-support.js";

const PAGE_QUERY = /* GraphQL */ `
  query Page($id: ID!, $first: Int!, $after: String) {
    account(id: $id) {
      transactions(first: $first, after: $after) {
        edges {
          cursor
          node {
            id
            status
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const FIRST = 20;
const HISTORY_DAYS = 100;
const PER_DAY = 10;
const MAX_CURSOR = 1024;

interface Page {
  edges: Array<{ cursor: string; node: { id: string; status: "PENDING" | "POSTED" } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

let t: TestGateway;
let user: TestUser;

beforeAll(async () => {
  t = await startTestGateway({
    env: PATIENT_ENV,
    mocks: { historyDays: HISTORY_DAYS, customers: [{ id: "alice", transactionsPerDay: PER_DAY }] },
  });
  user = await linkedUser(t, "paging-change");
  // Bank events reach the gateway, which forgets cached pages of the link, as in production.
  await targetWebhooks(t.mocks.adminUrl, t.gateway);
}, 120_000);
afterAll(() => t?.close());

/** Bank row ID → the purchase it belongs to (a pending authorization and its posting are one transaction), purchases that arrive later included. */
function transactionOf(bank: MockBankServer, accountId: string): (rowId: string) => string {
  const owner = new Map<string, string>();
  const learn = () => {
    for (const tx of bank.data.transactionsOf(accountId)) {
      owner.set(tx.id, tx.id);
      if (tx.pendingId) owner.set(tx.pendingId, tx.id);
    }
  };
  learn();
  return (rowId) => {
    if (!owner.has(rowId)) learn();
    return owner.get(rowId) ?? rowId;
  };
}

/** The bank row ID inside a Transaction's global ID. */
const rowIdOf = (globalId: string) => decodeGlobalId(globalId)!.parts.at(-1)!;

describe.each(BANK_IDS)("walking %s while the bank changes", (bankId) => {
  const pages: Page[] = [];
  let existedAtStart: Set<string>;
  let finalRows: Set<string>;
  let ownerOf: (rowId: string) => string;
  let events = 0;
  let postings = 0;
  let transactionCalls = 0;
  /** Purchases whose pending row posted while the walk had not reached it. */
  const postedAhead: string[] = [];

  beforeAll(async () => {
    const bank = t.mocks.bank(bankId);
    const mock = bank.data.accountsOf("alice")[0]!;
    const accounts = await t.gql<{ accounts: Array<{ id: string; name: string }> }>(`{ accounts(institutionIds: ["${bankId}"]) { id name } }`, {}, user.app);
    const id = accounts.body.data!.accounts.find((a) => a.name === mock.name)!.id;
    ownerOf = transactionOf(bank, mock.id);
    existedAtStart = new Set(bankRows(bank, mock.id).map((r) => ownerOf(r.id)));

    const listedPending: string[] = [];
    const arrivedPending: string[] = [];
    const walkedPurchases = new Set<string>();
    const stillPending = (rowId: string) => bank.data.transactionsOf(mock.id).some((tx) => !tx.postedAt && tx.pendingId === rowId);
    /** A still-pending purchase that was listed when the walk began and that the walk has not reached yet: the nearest below its position. */
    const pendingAhead = (): string | undefined =>
      bankRows(bank, mock.id).find(
        (r) => r.status === "pending" && existedAtStart.has(ownerOf(r.id)) && !walkedPurchases.has(ownerOf(r.id)) && stillPending(r.id),
      )?.id;
    /**
     * Between two pages, one change in turn: a pending purchase the walk has not reached yet posts
     * (the first two changes, then every fourth, while there is one; the first change posts two, so
     * that postings wait for room on a later page); a listed pending purchase posts; a purchase
     * that arrived during the walk posts; a purchase arrives. A posting that cannot happen falls
     * back to another kind of posting, then to an arrival.
     */
    const change = async (n: number): Promise<void> => {
      if (n === 1) {
        const ahead = pendingAhead();
        if (ahead !== undefined) {
          postedAhead.push(ownerOf(ahead));
          await bankEvent(t.mocks.adminUrl, bankId, { kind: "transaction_posted", accountId: mock.id, transactionId: ahead });
          postings++;
        }
      }
      const post = (pending: string | undefined): MockEventRequest | undefined =>
        pending === undefined ? undefined : { kind: "transaction_posted", accountId: mock.id, transactionId: pending };
      const purchase: MockEventRequest = { kind: "transaction_pending", accountId: mock.id, amountMinor: 1_000 + n };
      const ahead = n <= 2 || n % 4 === 1 ? pendingAhead() : undefined;
      const postListed = () => post(listedPending.shift());
      const postArrived = () => post(arrivedPending.shift());
      const request = post(ahead) ?? (n % 4 === 0 ? purchase : n % 4 === 3 ? (postArrived() ?? postListed()) : (postListed() ?? postArrived())) ?? purchase;
      if (ahead !== undefined) postedAhead.push(ownerOf(ahead));
      await bankEvent(t.mocks.adminUrl, bankId, request);
      // A new purchase is the newest of the account's transactions.
      if (request.kind === "transaction_pending") arrivedPending.push(bank.data.transactionsOf(mock.id)[0]!.pendingId!);
      events++;
      if (request.kind === "transaction_posted") postings++;
    };

    let after: string | null = null;
    t.resetBankCalls();
    do {
      if (pages.length > 0) await change(pages.length);
      const response: { body: { data?: { account: { transactions: Page } } | null; errors?: unknown } } = await t.gql<{ account: { transactions: Page } }>(
        PAGE_QUERY,
        { id, first: FIRST, after },
        user.app,
      );
      expect(response.body.errors).toBeUndefined();
      const page: Page = response.body.data!.account.transactions;
      pages.push(page);
      for (const edge of page.edges) {
        const rowId = rowIdOf(edge.node.id);
        walkedPurchases.add(ownerOf(rowId));
        // Still-pending purchases the walk has shown are the ones a posting event settles.
        if (edge.node.status === "PENDING" && stillPending(rowId)) listedPending.push(rowId);
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      expect(pages.length).toBeLessThan(200);
    } while (after);
    finalRows = new Set(bankRows(bank, mock.id).map((r) => ownerOf(r.id)));
    transactionCalls = t.bankCalls()[bankId]?.byKind["transactions"] ?? 0;
  }, 300_000);

  it("walks a history of over 1,000 transactions, with a bank event between pages", () => {
    expect(existedAtStart.size).toBeGreaterThanOrEqual(1_000);
    expect(events).toBe(pages.length - 1);
    expect(postings).toBeGreaterThan(pages.length / 2);
    // Pending purchases lie only near the top, so only the first pages can post one ahead of the walk.
    expect(postedAhead.length).toBeGreaterThanOrEqual(3);
  });

  it("lists each purchase that posted before the walk reached it exactly once, as pending or as posted", () => {
    const purchases = pages.flatMap((p) => p.edges.map((e) => ownerOf(rowIdOf(e.node.id))));
    expect(postedAhead.map((p) => [p, purchases.filter((q) => q === p).length])).toEqual(postedAhead.map((p) => [p, 1]));
  });

  it("lists no transaction twice (neither a row nor a pending row and its posting)", () => {
    const rows = pages.flatMap((p) => p.edges.map((e) => rowIdOf(e.node.id)));
    const purchases = rows.map(ownerOf);
    expect(rows.length - new Set(rows).size).toBe(0);
    expect(purchases.filter((p, i) => purchases.indexOf(p) !== i)).toEqual([]);
  });

  it("skips no transaction that existed when the walk began, and lists nothing the bank does not", () => {
    const walked = new Set(pages.flatMap((p) => p.edges.map((e) => ownerOf(rowIdOf(e.node.id)))));
    expect([...existedAtStart].filter((p) => !walked.has(p))).toEqual([]);
    expect([...walked].filter((p) => !finalRows.has(p))).toEqual([]);
  });

  it("answers exactly `first` edges on every page but the last", () => {
    const sizes = pages.map((p) => p.edges.length);
    expect(sizes.slice(0, -1).filter((n) => n !== FIRST)).toEqual([]);
    // Never an empty last page after hasNextPage: true — also at a bank that keeps replaced pending
    // rows (Citi), where a page can end exactly at a bank page whose successors hold only such rows.
    expect(sizes.at(-1)).toBeGreaterThanOrEqual(1);
    expect(sizes.at(-1)).toBeLessThanOrEqual(FIRST);
  });

  it("keeps every cursor within 1 KB, from the first page to the last", () => {
    const sizes = pages.flatMap((p) => [...p.edges.map((e) => e.cursor.length), p.pageInfo.endCursor?.length ?? 0]);
    console.info(
      `${bankId}: ${pages.length} pages, ${transactionCalls} transaction calls, ${postedAhead.length} postings ahead of the walk, cursor length max ${Math.max(...sizes)}, page 1 end ${pages[0]!.pageInfo.endCursor?.length}, last end ${pages.at(-1)!.pageInfo.endCursor?.length}`,
    );
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_CURSOR);
  });
});
