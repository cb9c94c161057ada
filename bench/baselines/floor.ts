/**
 * The CPU floor of the cold dashboard (issue 15, item 4): the least code that makes the same bank
 * calls and builds the same JSON as the gateway's DASHBOARD_QUERY, with no GraphQL, no store, no
 * consent, no cache and no resilience policy. Per bank, in parallel: list the accounts, then one
 * balances call and one transactions call for all of them — the calls the gateway's loaders make,
 * planned and translated by the same adapters, each account's page cut by the same exact-page
 * reader (`readTransactionPage`, so `endCursor` is the same signed cursor), over the product's HTTP
 * client (undici, each body checked by the adapter's zod schema, which also reshapes what the
 * translators read) without its retry/breaker/bulkhead policy. So this floor is an upper bound: a
 * bare client without validation would save ~0.06 ms a call more (the 2026-12-03 perf profile).
 *
 *   POST /  { "customer": "alice", "institutions": ["chase", …], "first": 5 }
 *   → { "data": { "accounts": [ …as the gateway answers DASHBOARD_QUERY… ] } }
 *
 * What it leaves out is what the gateway must do and a floor need not: authenticate the caller,
 * read links and consents, write the access log, retry, report bank health.
 */
import { randomUUID } from "node:crypto";
import type { Account, Balance, Transaction } from "../../src/domain/model.js";
import { createTransactionCursorCodec } from "../../src/loaders/transaction-cursor.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import type { BankProvider, TransactionPage, TransactionPageRequest } from "../../src/providers/contract.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { bankSessions } from "../support/bank-sessions.js";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { readTransactionPage, REFILL_SLACK } from "../../src/schema/transactions/read-transaction-page.js";
import { serveJsonPosts } from "./json-post-server.js";
import type { BaselineServer } from "./plain-apollo.js";

interface FloorRequest {
  customer: string;
  institutions: readonly string[];
  first: number;
}

/** Starts the floor server; it authorizes at each bank once per customer (OAuth, the bank's own pages) and keeps the session. */
export async function startFloor(bankUrls: Record<string, string>): Promise<BaselineServer> {
  const banks = new Map<string, { name: string; provider: BankProvider; linkId: string }>();
  for (const module of PROVIDER_MODULES) {
    const url = bankUrls[module.id];
    // A made-up link ID of a real one's length, so global IDs are as long as the gateway's.
    if (!url) continue;
    // The product's HTTP client without the retry, breaker and bulkhead policy the gateway runs it through.
    const http = createBankHttp({ institutionId: module.id, institutionName: module.name, baseUrl: url, timeoutMs: 30_000 });
    banks.set(module.id, { name: module.name, provider: module.create({ http }), linkId: randomUUID() });
  }
  const cursors = createTransactionCursorCodec(randomUUID());
  const session = bankSessions(bankUrls);

  async function readBank(institutionId: string, { customer, first }: FloorRequest) {
    const bank = banks.get(institutionId);
    if (!bank) throw new Error(`unknown institution ${institutionId}`);
    const { provider, linkId, name } = bank;
    const login = await session(institutionId, customer);
    const accounts = await provider.listAccounts(login);
    const ids = accounts.map((a) => a.id);
    // The gateway's first read of every account's page, batched into one call as its loader batches them.
    const [balances, firstPages] = await Promise.all([
      provider.getBalances(login, ids),
      provider.listTransactions(
        login,
        ids.map((accountId) => ({ accountId, cursor: null, limit: first + REFILL_SLACK })),
      ),
    ]);
    const pages = await Promise.all(
      accounts.map((account, i) => {
        let prefetched: TransactionPage | undefined = firstPages[i];
        const source = {
          keepsReplacedPending: provider.capabilities.keepsReplacedPending,
          page: async (req: TransactionPageRequest) => {
            const page = prefetched ?? (await provider.listTransactions(login, [req]))[0]!;
            prefetched = undefined;
            return page;
          },
        };
        return readTransactionPage(source, account.id, { first, cursors: cursors.scoped([linkId, account.id, null, null]) });
      }),
    );
    const institution = { id: institutionId, name, status: "UP" };
    return accounts.map((account, i) =>
      accountJson(
        linkId,
        account,
        institution,
        balances.find((b) => b.accountId === account.id),
        pages[i]!.items.map((item) => item.transaction),
        pages[i]!,
      ),
    );
  }

  return serveJsonPosts(async (body) => {
    const request = body as FloorRequest;
    const perBank = await Promise.all(request.institutions.map((id) => readBank(id, request)));
    return { data: { accounts: perBank.flat() } };
  });
}

/** One account as DASHBOARD_QUERY selects it, fields in the query's order. */
function accountJson(
  linkId: string,
  account: Account,
  institution: { id: string; name: string; status: string },
  balance: Balance | undefined,
  transactions: readonly Transaction[],
  page: { hasNextPage: boolean; endCursor: string | null },
) {
  const transactionId = (id: string) => encodeGlobalId("Transaction", linkId, account.id, id);
  return {
    id: encodeGlobalId("Account", linkId, account.id),
    type: account.type,
    name: account.name,
    mask: account.mask,
    currency: account.currency,
    institution,
    balance: balance ? { current: balance.current, available: balance.available, asOf: balance.asOf } : null,
    transactions: {
      nodes: transactions.map((t) => ({
        id: transactionId(t.id),
        status: t.status,
        date: t.date,
        description: t.description,
        amount: t.amount,
        merchant: t.merchant ? { name: t.merchant.name } : null,
        pendingTransactionId: t.pendingTransactionId ? transactionId(t.pendingTransactionId) : null,
      })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    },
  };
}

/** The request body for `customer`'s dashboard at `institutions`. */
export function floorRequestBody(customer: string, institutions: readonly string[], first: number): string {
  return JSON.stringify({ customer, institutions, first } satisfies FloorRequest);
}
