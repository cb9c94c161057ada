/**
 * U.S. Bank adapter: translates U.S. Bank's API (see mocks/us-bank/openapi.yaml) to the
 * gateway's domain model. U.S. Bank has no receipts.
 */
import type { BankProvider, TransactionPage } from "../contract.js";
import type { ProviderOptions } from "../provider-module.js";
import type { ProviderModule } from "../provider-module.js";
import { usBankWebhooks } from "./webhook.js";
import { nextCursor, planTransactionInquiries } from "./transaction-inquiry.js";
import { toAccount, toBalance, toOwner, toTransaction } from "./translate.js";
import { UsBankAccounts, UsBankBalances, UsBankCustomers, UsBankTransactionInquiry } from "./wire.js";
import { usBankAuthorization } from "./authorization.js";
import { createUsBankPaymentRail } from "./payments.js";

const accountList = (accountIds: readonly string[]) => ({ Accounts: accountIds.map((AccountID) => ({ AccountID })) });

/** Builds the U.S. Bank adapter over an HTTP client bound to U.S. Bank's base URL. */
export function createUsBankProvider({ http }: ProviderOptions): BankProvider {
  return {
    id: "us_bank",
    name: "U.S. Bancorp",
    capabilities: { receipts: false, identity: true },

    async listAccounts(session) {
      const body = await http.request({ path: "/v3/accounts", session }, UsBankAccounts);
      return body.ResponseData.AccountList.map(toAccount);
    },

    async getBalances(session, accountIds) {
      if (accountIds.length === 0) return [];
      const body = await http.request(
        { method: "POST", idempotent: true, path: "/v3/accounts/balances/inquiry", session, json: accountList(accountIds) },
        UsBankBalances,
      );
      return body.ResponseData.BalanceList.map(toBalance);
    },

    async listTransactions(session, requests) {
      const pages: TransactionPage[] = requests.map((r) => ({ accountId: r.accountId, items: [], nextCursor: null }));
      await Promise.all(
        planTransactionInquiries(requests).map(async ({ body, slots }) => {
          const result = await http.request(
            { method: "POST", idempotent: true, path: "/v3/transactions/inquiry", session, json: body },
            UsBankTransactionInquiry,
          );
          // Matched on account and page, since one inquiry may ask two pages of the same account.
          const answers = new Map(result.ResponseData.AccountTransactions.map((a) => [`${a.PageNumber}:${a.AccountID}`, a]));
          body.Accounts.forEach(({ AccountID, PageNumber }, i) => {
            // An account the bank left out (unknown or not the holder's) keeps its empty, final page.
            const answer = answers.get(`${PageNumber}:${AccountID}`);
            if (!answer) return;
            // The applied size, not the asked one: page N only means the same rows under the same size.
            const position = { size: answer.PageSize, from: body.FromDate, to: body.ToDate };
            const start = (answer.PageNumber - 1) * answer.PageSize;
            pages[slots[i]!] = {
              accountId: AccountID,
              rows: { start, end: start + answer.TransactionList.length },
              items: answer.TransactionList.map((t) => toTransaction(t, AccountID)),
              nextCursor: nextCursor(position, answer.PageNumber, answer.TotalPages),
            };
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
      if (accountIds.length === 0) return [];
      const body = await http.request(
        { method: "POST", idempotent: true, path: "/v3/customers/inquiry", session, json: accountList(accountIds) },
        UsBankCustomers,
      );
      return body.ResponseData.CustomerList.map(toOwner);
    },
  };
}

/** U.S. Bank, as the provider registry knows it. */
export const usBank: ProviderModule = {
  id: "us_bank",
  name: "U.S. Bancorp",
  create: createUsBankProvider,
  authorization: usBankAuthorization,
  webhooks: usBankWebhooks,
  payments: createUsBankPaymentRail,
};
