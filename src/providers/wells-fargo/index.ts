/**
 * Wells Fargo adapter: translates Wells Fargo's snake_case HAL API (mocks/wells-fargo/openapi.yaml)
 * into the domain model. Balances, transaction pages (first and continued) and owners are each
 * one batched POST for all accounts.
 */
import type { Account, AccountOwner, Balance, Receipt } from "../../domain/model.js";
import type { BankProvider, TransactionPage, TransactionPageRequest } from "../contract.js";
import type { ProviderOptions } from "../provider-module.js";
import type { ProviderModule } from "../provider-module.js";
import { wellsFargoWebhooks } from "./webhook.js";
import { planSearches } from "./paging.js";
import { toAccount, toBalance, toOwners, toTransaction } from "./translate.js";
import { accountsResponse, balancesResponse, lookupResponse, searchResponse } from "./wire.js";
import { wellsFargoAuthorization } from "./authorization.js";

/** Builds the Wells Fargo adapter over an HTTP client bound to Wells Fargo's base URL. */
export function createWellsFargoProvider({ http }: ProviderOptions): BankProvider {
  return {
    id: wellsFargo.id,
    name: wellsFargo.name,
    capabilities: { receipts: false, identity: true, keepsReplacedPending: false },

    async listAccounts(session): Promise<Account[]> {
      const body = await http.request({ path: "/v2/accounts", session }, accountsResponse);
      return body.accounts.map(toAccount).filter((a): a is Account => a !== null);
    },

    async getBalances(session, accountIds): Promise<Balance[]> {
      if (accountIds.length === 0) return [];
      const body = await http.request(
        { method: "POST", idempotent: true, path: "/v2/balances/search", json: { account_ids: [...new Set(accountIds)] }, session },
        balancesResponse,
      );
      return body.balances.map(toBalance);
    },

    async listTransactions(session, requests: readonly TransactionPageRequest[]): Promise<TransactionPage[]> {
      const { bodies, callOf, tokens } = planSearches(requests);
      const answers = await Promise.all(
        bodies.map((json) => http.request({ method: "POST", idempotent: true, path: "/v2/transactions/search", json, session }, searchResponse)),
      );
      return requests.map((request, i) => {
        const token = tokens[i] ?? null;
        const block = answers[callOf[i]!]!.results.find((r) =>
          token !== null ? r.page_token === token : r.page_token === undefined && r.account_id === request.accountId,
        );
        // Wells Fargo leaves out accounts it will not serve; to the caller that is an empty listing.
        if (!block) return { accountId: request.accountId, items: [], nextCursor: null };
        return {
          accountId: request.accountId,
          items: block.transactions.map((t) => toTransaction(t, request.accountId)),
          nextCursor: block._links?.next?.href ?? null,
        };
      });
    },

    // Wells Fargo has no itemized receipts: nothing to ask the bank.
    async getReceipts(): Promise<Receipt[]> {
      return [];
    },
    async listReceipts(): Promise<Receipt[]> {
      return [];
    },

    async getOwners(session, accountIds): Promise<AccountOwner[]> {
      if (accountIds.length === 0) return [];
      const body = await http.request(
        { method: "POST", idempotent: true, path: "/v2/customers/lookup", json: { account_ids: [...new Set(accountIds)] }, session },
        lookupResponse,
      );
      return toOwners(body.customers, accountIds);
    },
  };
}

/** Wells Fargo. */
export const wellsFargo: ProviderModule = {
  id: "wells_fargo",
  name: "Wells Fargo",
  create: createWellsFargoProvider,
  authorization: wellsFargoAuthorization,
  webhooks: wellsFargoWebhooks,
};
