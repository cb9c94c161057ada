/**
 * The PayPal adapter: PayPal REST (`/v1/...`) ↔ the domain model. Wire schemas are in
 * `wire.ts`, the translation in `translate.ts`, Transaction Search paging in `paging.ts`.
 */
import type { BankProvider, TransactionPage } from "../contract.js";
import type { ProviderOptions } from "../provider-module.js";
import type { ProviderModule } from "../provider-module.js";
import { paypalWebhooks } from "./webhook.js";
import { encodeCursor, planSearchCalls, searchQuery } from "./paging.js";
import { fromPaypalTime, isSettledOrPending, toAccount, toBalance, toOwners, toReceipt, toTransaction } from "./translate.js";
import { accountsResponse, balancesResponse, receiptsResponse, transactionsResponse, userinfoResponse } from "./wire.js";
import { payPalAuthorization } from "./authorization.js";
import { createPayPalPaymentRail } from "./payments.js";

/** Builds the PayPal adapter over an HTTP client bound to PayPal's base URL. */
export function createPayPalProvider({ http }: ProviderOptions): BankProvider {
  return {
    id: "paypal",
    name: "PayPal",
    capabilities: { receipts: true, identity: true },

    async listAccounts(session) {
      const body = await http.request({ path: "/v1/wallet/accounts", session }, accountsResponse);
      return body.accounts.map(toAccount);
    },

    async getBalances(session, accountIds) {
      if (accountIds.length === 0) return [];
      const body = await http.request(
        { path: "/v1/reporting/balances", query: { account_ids: [...new Set(accountIds)].join(",") }, session },
        balancesResponse,
      );
      const asOf = fromPaypalTime(body.as_of_time);
      return body.balances.map((b) => toBalance(b, asOf));
    },

    async listTransactions(session, requests) {
      const pages: TransactionPage[] = requests.map((r) => ({ accountId: r.accountId, items: [], nextCursor: null }));
      const calls = planSearchCalls(requests);
      await Promise.all(
        calls.map(async (call) => {
          const body = await http.request({ path: "/v1/reporting/transactions", query: searchQuery(call), session }, transactionsResponse);
          // Accounts PayPal did not answer for (not the user's) keep their empty, final page.
          for (const listing of body.accounts) {
            const wanted = call.pages.get(listing.account_id);
            if (!wanted) continue;
            const start = (listing.page - 1) * call.pageSize;
            pages[wanted.index] = {
              accountId: listing.account_id,
              rows: { start, end: start + listing.transaction_details.length },
              items: listing.transaction_details.filter(isSettledOrPending).map((t) => toTransaction(t, listing.account_id)),
              nextCursor:
                listing.page < listing.total_pages
                  ? encodeCursor({ page: listing.page + 1, pageSize: call.pageSize, startDate: call.startDate, endDate: call.endDate })
                  : null,
            };
          }
        }),
      );
      return pages;
    },

    async getReceipts(session, receiptIds) {
      if (receiptIds.length === 0) return [];
      const body = await http.request({ path: "/v1/reporting/receipts", query: { ids: [...new Set(receiptIds)].join(",") }, session }, receiptsResponse);
      return body.receipts.map(toReceipt);
    },

    async listReceipts(session, accountIds, limit) {
      if (accountIds.length === 0 || limit <= 0) return [];
      const body = await http.request(
        { path: "/v1/reporting/receipts", query: { account_ids: [...new Set(accountIds)].join(","), limit }, session },
        receiptsResponse,
      );
      return body.receipts.map(toReceipt);
    },

    async getOwners(session, accountIds) {
      if (accountIds.length === 0) return [];
      const body = await http.request(
        {
          path: "/v1/identity/oauth2/userinfo",
          query: { schema: "paypalv1.1", account_ids: [...new Set(accountIds)].join(",") },
          session,
        },
        userinfoResponse,
      );
      return toOwners(body, accountIds);
    },
  };
}

/** PayPal: wallet balance and PayPal-issued cards, with itemized receipts and shipment tracking. */
export const paypal: ProviderModule = {
  id: "paypal",
  name: "PayPal",
  create: createPayPalProvider,
  authorization: payPalAuthorization,
  webhooks: paypalWebhooks,
  payments: createPayPalPaymentRail,
};
