/**
 * Baseline for latency: the critical path of the dashboard without GraphQL. For each bank, in
 * parallel: list the accounts, then balances and first transaction pages of all of them at once
 * — the same adapter calls the gateway's loaders make, through the same adapters and HTTP client,
 * behind the thinnest server node has (node:http), so client-side costs match the gateway's.
 *
 *   POST /  { "customer": "alice", "institutions": ["chase", …], "first": 5, "balances": true }
 *   → { "accounts": [{ …account, balance, transactions: { nodes } }] }
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { TransactionStatus, type Transaction } from "../../src/domain/model.js";
import type { BankSession } from "../../src/providers/contract.js";
import { createProviderSet } from "../../src/providers/provider-set.js";
import { REFILL_SLACK } from "../../src/schema/transactions/read-transaction-page.js";
import type { BaselineServer } from "./plain-apollo.js";
import { bankSession } from "../../test/support/bank-session.js";

interface DirectRequest {
  customer: string;
  institutions: readonly string[];
  first: number;
  balances: boolean;
}

/** Starts the direct fan-out server; it authorizes at each bank once per customer (OAuth, the bank's own pages) and keeps the session. */
export async function startDirectFanout(bankUrls: Record<string, string>): Promise<BaselineServer> {
  const providers = createProviderSet({ urls: bankUrls, timeoutMs: 30_000 });
  const sessions = new Map<string, Promise<BankSession>>();
  const provider = (id: string) => {
    const found = providers.get(id);
    if (!found) throw new Error(`unknown institution ${id}`);
    return found;
  };
  const session = (institutionId: string, customer: string) => {
    const key = `${institutionId}\u0000${customer}`;
    let pending = sessions.get(key);
    if (!pending) {
      pending = bankSession(institutionId, bankUrls[institutionId]!, { username: customer });
      pending.catch(() => sessions.delete(key));
      sessions.set(key, pending);
    }
    return pending;
  };

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

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the listener catches every error and answers 502
    req.on("end", async () => {
      try {
        const request = JSON.parse(Buffer.concat(chunks).toString()) as DirectRequest;
        const perBank = await Promise.all(request.institutions.map((id) => readBank(id, request)));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ accounts: perBank.flat() }));
      } catch (error) {
        res.writeHead(502, { "content-type": "application/json" }).end(JSON.stringify({ error: (error as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
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
