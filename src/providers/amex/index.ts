/**
 * The American Express adapter: Amex for Developers style API ↔ the domain model. Wire schemas
 * are in `wire.ts`, the translation in `translate.ts`, request grouping in `paging.ts`.
 */
import type { BankProvider, TransactionPage } from "../contract.js";
import type { ProviderOptions } from "../provider-module.js";
import type { ProviderModule } from "../provider-module.js";
import { amexWebhooks } from "./webhook.js";
import { callBody, planTransactionCalls } from "./paging.js";
import { toAccount, toBalance, toOwner, toReceipt, toTransaction } from "./translate.js";
import { accountsResponse, balancesResponse, profileResponse, receiptsResponse, transactionsResponse } from "./wire.js";
import { amexAuthorization } from "./authorization.js";

const unique = (ids: readonly string[]) => [...new Set(ids)];

/** Builds the Amex adapter over an HTTP client bound to Amex's base URL. */
export function createAmexProvider({ http }: ProviderOptions): BankProvider {
  return {
    id: "amex",
    name: "American Express",
    capabilities: { receipts: true, identity: true, keepsReplacedPending: false },

    async listAccounts(session) {
      const body = await http.request({ path: "/servicing/v1/member/accounts", session }, accountsResponse);
      return body.accounts.map(toAccount);
    },

    async getBalances(session, accountIds) {
      if (accountIds.length === 0) return [];
      const body = await http.request(
        { method: "POST", idempotent: true, path: "/servicing/v1/financials/balances", json: { account_tokens: unique(accountIds) }, session },
        balancesResponse,
      );
      return body.balances.map(toBalance);
    },

    async listTransactions(session, requests) {
      const pages: TransactionPage[] = requests.map((r) => ({ accountId: r.accountId, items: [], nextCursor: null }));
      await Promise.all(
        planTransactionCalls(requests).map(async (call) => {
          const body = await http.request(
            { method: "POST", idempotent: true, path: "/servicing/v1/financials/transactions", json: callBody(call), session },
            transactionsResponse,
          );
          // Cards Amex did not answer for (not the member's) keep their empty, final page.
          for (const card of body.cards) {
            const wanted = call.cards.find((c) => c.accountToken === card.account_token);
            if (!wanted) continue;
            pages[wanted.index] = {
              accountId: card.account_token,
              items: card.transactions.map((t) => toTransaction(t, card.account_token)),
              nextCursor: card.next_token,
            };
          }
        }),
      );
      return pages;
    },

    async getReceipts(session, receiptIds) {
      if (receiptIds.length === 0) return [];
      const body = await http.request(
        { method: "POST", idempotent: true, path: "/servicing/v1/receipts/search", json: { receipt_ids: unique(receiptIds) }, session },
        receiptsResponse,
      );
      return body.receipts.map(toReceipt);
    },

    async listReceipts(session, accountIds, limit) {
      if (accountIds.length === 0 || limit <= 0) return [];
      const body = await http.request(
        { method: "POST", idempotent: true, path: "/servicing/v1/receipts/search", json: { account_tokens: unique(accountIds), limit }, session },
        receiptsResponse,
      );
      return body.receipts.map(toReceipt);
    },

    async getOwners(session, accountIds) {
      if (accountIds.length === 0) return [];
      const body = await http.request(
        { path: "/servicing/v1/member/profile", query: { account_tokens: unique(accountIds).join(",") }, session },
        profileResponse,
      );
      return body.profiles.map(toOwner);
    },
  };
}

/** American Express: charge and credit cards, with Enhanced Data receipts and shipment tracking. */
export const amex: ProviderModule = {
  id: "amex",
  name: "American Express",
  create: createAmexProvider,
  authorization: amexAuthorization,
  webhooks: amexWebhooks,
};
