/**
 * Baseline for latency: the critical path of the dashboard without GraphQL. For each bank, in
 * parallel: list the accounts, then balances and first transaction pages of all of them at once
 * — the same adapter calls the gateway's loaders make, through the same adapters and HTTP client,
 * behind the thinnest server node has (node:http), so client-side costs match the gateway's.
 *
 *   POST /  { "customer": "alice", "institutions": ["chase", …], "first": 5, "balances": true }
 *   → { "accounts": [{ …account, balance, transactions: { nodes } }] }
 */
import { TransactionStatus, type Transaction } from "../../src/domain/model.js";
import { createProviderSet } from "../../src/providers/provider-set.js";
import { REFILL_SLACK } from "../../src/schema/transactions/read-transaction-page.js";
import { serveJsonPosts } from "./json-post-server.js";
import type { BaselineServer } from "./plain-apollo.js";
import { bankSessions } from "../support/bank-sessions.js";

interface DirectRequest {
  customer: string;
  institutions: readonly string[];
  first: number;
  balances: boolean;
}

/** Starts the direct fan-out server; it authorizes at each bank once per customer (OAuth, the bank's own pages) and keeps the session. */
export async function startDirectFanout(bankUrls: Record<string, string>): Promise<BaselineServer> {
  const providers = createProviderSet({ urls: bankUrls, timeoutMs: 30_000 });
  const provider = (id: string) => {
    const found = providers.get(id);
    if (!found) throw new Error(`unknown institution ${id}`);
    return found;
  };
  const session = bankSessions(bankUrls);

  async function readBank(institutionId: string, request: DirectRequest) {
    const bank = provider(institutionId);
    const login = await session(institutionId, request.customer);
    const accounts = await bank.listAccounts(login);
    const ids = accounts.map((a) => a.id);
    const [balances, pages] = await Promise.all([
      request.balances ? bank.getBalances(login, ids) : Promise.resolve([]),
      bank.listTransactions(
        login,
        // A few rows past the page, as the gateway's reader asks, so dropping replaced pending rows still fills it.
        ids.map((accountId) => ({ accountId, limit: request.first + REFILL_SLACK })),
      ),
    ]);
    return accounts.map((account, i) => ({
      ...account,
      balance: balances.find((b) => b.accountId === account.id) ?? null,
      transactions: { nodes: withoutSupersededPending(pages[i]!.items).slice(0, request.first) },
    }));
  }

  return serveJsonPosts(async (body) => {
    const request = body as DirectRequest;
    const perBank = await Promise.all(request.institutions.map((id) => readBank(id, request)));
    return { accounts: perBank.flat() };
  });
}

/** The gateway lists a purchase once: a pending row that a posted row on the page replaced is dropped. */
function withoutSupersededPending(items: readonly Transaction[]): Transaction[] {
  const superseded = new Set(items.filter((t) => t.status === TransactionStatus.POSTED && t.pendingTransactionId).map((t) => t.pendingTransactionId));
  return items.filter((t) => !(t.status === TransactionStatus.PENDING && superseded.has(t.id)));
}

/** The request body for `customer`'s accounts at `institutions`. */
export function directRequestBody(customer: string, institutions: readonly string[], first: number, balances = true): string {
  return JSON.stringify({ customer, institutions, first, balances } satisfies DirectRequest);
}
