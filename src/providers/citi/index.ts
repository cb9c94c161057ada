/**
 * Citi adapter: translates Citi's Developer Hub API (see mocks/citi/openapi.yaml) to the
 * gateway's domain model. Citi has no receipts.
 */
import type { BankProvider, TransactionPage } from "../contract.js";
import type { ProviderOptions } from "../provider-module.js";
import type { ProviderModule } from "../provider-module.js";
import { citiWebhooks } from "./webhook.js";
import { planTransactionQueries } from "./transaction-query.js";
import { toAccount, toBalance, toOwners, toTransaction } from "./translate.js";
import { CitiAccounts, CitiBalances, CitiProfile, CitiTransactionQueryResult } from "./wire.js";
import { citiAuthorization } from "./authorization.js";

/** Account IDs per profile call: they travel in the query string, which servers cap at a few KB. */
const PROFILE_IDS_PER_CALL = 100;

/** Builds the Citi adapter over an HTTP client bound to Citi's base URL. */
export function createCitiProvider({ http }: ProviderOptions): BankProvider {
  return {
    id: "citi",
    name: "Citi",
    capabilities: { receipts: false, identity: true, keepsReplacedPending: true },

    async listAccounts(session) {
      const body = await http.request({ path: "/api/v1/accounts", session }, CitiAccounts);
      return body.data.accounts.map(toAccount);
    },

    async getBalances(session, accountIds) {
      if (accountIds.length === 0) return [];
      const body = await http.request(
        { method: "POST", idempotent: true, path: "/api/v1/accounts/balances/query", session, json: { accountIds } },
        CitiBalances,
      );
      return body.data.balances.map(toBalance);
    },

    async listTransactions(session, requests) {
      const pages: TransactionPage[] = requests.map((r) => ({ accountId: r.accountId, items: [], nextCursor: null }));
      await Promise.all(
        planTransactionQueries(requests).map(async ({ body, slots }) => {
          const result = await http.request(
            { method: "POST", idempotent: true, path: "/api/v1/accounts/transactions/query", session, json: body },
            CitiTransactionQueryResult,
          );
          const byAccount = new Map(result.data.accountTransactions.map((a) => [a.accountId, a]));
          body.accounts.forEach(({ accountId }, i) => {
            // An account Citi left out (unknown or not the holder's) keeps its empty, final page.
            const found = byAccount.get(accountId);
            if (!found) return;
            // Citi's cursor is already opaque and carries its own date range; it is passed on as is.
            pages[slots[i]!] = { accountId, items: found.transactions.map((t) => toTransaction(t, accountId)), nextCursor: found.nextCursor };
          });
        }),
      );
      return pages;
    },

    async getReceipts() {
      return [];
    },

    async listReceipts() {
      return [];
    },

    async getOwners(session, accountIds) {
      const chunks: string[][] = [];
      for (let i = 0; i < accountIds.length; i += PROFILE_IDS_PER_CALL) chunks.push(accountIds.slice(i, i + PROFILE_IDS_PER_CALL));
      const owners = await Promise.all(
        chunks.map(async (ids) => {
          const body = await http.request({ path: "/api/v1/customers/profile", query: { accountIds: ids.join(",") }, session }, CitiProfile);
          const covered = new Set(body.data.accountIds);
          return toOwners(
            ids.filter((id) => covered.has(id)),
            body.data.customerParticulars,
          );
        }),
      );
      return owners.flat();
    },
  };
}

/** Citi, as the provider registry knows it. */
export const citi: ProviderModule = { id: "citi", name: "Citi", create: createCitiProvider, authorization: citiAuthorization, webhooks: citiWebhooks };
