/**
 * The CPU floor of the cold dashboard (issue 15, item 4): the least code that makes the same bank
 * calls and builds the same JSON as the gateway's DASHBOARD_QUERY, with no GraphQL, no store, no
 * consent, no cache and no resilience policy. Per bank, in parallel: list the accounts, then one
 * balances call and one transactions call for all of them — the calls the gateway's loaders make,
 * planned and translated by the same adapters, each account's page cut by the same exact-page
 * reader (`readTransactionPage`, so `endCursor` is the same signed cursor). The HTTP client is bare
 * undici + JSON.parse, no timeout, no retry, no URL object per call; it still runs each adapter's
 * zod schema, because the schemas also reshape bodies (unwrap, defaults) that the translators read —
 * so this floor is an upper bound by the validation's cost (~0.06 ms a call, /work/shared perf profile).
 *
 *   POST /  { "customer": "alice", "institutions": ["chase", …], "first": 5 }
 *   → { "data": { "accounts": [ …as the gateway answers DASHBOARD_QUERY… ] } }
 *
 * What it leaves out is what the gateway must do and a floor need not: authenticate the caller,
 * read links and consents, write the access log, time out, retry, report bank health.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import type { ZodType } from "zod";
import type { Account, Balance, Transaction } from "../../src/domain/model.js";
import { createTransactionCursorCodec } from "../../src/loaders/transaction-cursor.js";
import type { BankHttp, BankRequest } from "../../src/providers/bank-http.js";
import type { BankProvider, BankSession, TransactionPage, TransactionPageRequest } from "../../src/providers/contract.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { readTransactionPage, REFILL_SLACK } from "../../src/schema/transactions/read-transaction-page.js";
import type { BaselineServer } from "./plain-apollo.js";

interface FloorRequest {
  customer: string;
  institutions: readonly string[];
  first: number;
}

/** Sends the request, parses the JSON and shapes it with the adapter's schema (throws where the gateway answers BAD_RESPONSE). */
function bareHttp(institutionId: string, baseUrl: string): BankHttp {
  return {
    institutionId,
    baseUrl,
    async request<T>(req: BankRequest, schema: ZodType<T>): Promise<T> {
      let path = baseUrl + req.path;
      const query = Object.entries(req.query ?? {}).filter(([, v]) => v !== undefined && v !== null);
      if (query.length > 0) path += `?${new URLSearchParams(query.map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
      const headers: Record<string, string> = { accept: "application/json", ...req.headers };
      if (req.session) headers["authorization"] = `Bearer ${req.session.accessToken}`;
      let body: string | undefined;
      if (req.form) {
        headers["content-type"] = "application/x-www-form-urlencoded";
        body = new URLSearchParams(req.form).toString();
      } else if (req.json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(req.json);
      }
      const method = req.method ?? (body === undefined ? "GET" : "POST");
      const response = await request(path, { method, headers, body });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`${institutionId} ${method} ${req.path}: ${response.statusCode}`);
      return schema.parse(JSON.parse(text));
    },
  };
}

/** Starts the floor server; it logs in at each bank once per customer and keeps the session. */
export async function startFloor(bankUrls: Record<string, string>, password: string): Promise<BaselineServer> {
  const banks = new Map<string, { name: string; provider: BankProvider; linkId: string }>();
  for (const module of PROVIDER_MODULES) {
    const url = bankUrls[module.id];
    // A made-up link ID of a real one's length, so global IDs are as long as the gateway's.
    if (url) banks.set(module.id, { name: module.name, provider: module.create({ http: bareHttp(module.id, url) }), linkId: randomUUID() });
  }
  const cursors = createTransactionCursorCodec(randomUUID());
  const sessions = new Map<string, Promise<BankSession>>();
  const session = (institutionId: string, provider: BankProvider, customer: string) => {
    const key = `${institutionId}\u0000${customer}`;
    let pending = sessions.get(key);
    if (!pending) {
      pending = provider.authenticate({ username: customer, password });
      pending.catch(() => sessions.delete(key));
      sessions.set(key, pending);
    }
    return pending;
  };

  async function readBank(institutionId: string, { customer, first }: FloorRequest) {
    const bank = banks.get(institutionId);
    if (!bank) throw new Error(`unknown institution ${institutionId}`);
    const { provider, linkId, name } = bank;
    const login = await session(institutionId, provider, customer);
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

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the listener catches every error and answers 502
    req.on("end", async () => {
      try {
        const request = JSON.parse(Buffer.concat(chunks).toString()) as FloorRequest;
        const perBank = await Promise.all(request.institutions.map((id) => readBank(id, request)));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { accounts: perBank.flat() } }));
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
