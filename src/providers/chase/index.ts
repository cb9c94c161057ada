/**
 * JPMorgan Chase adapter: translates Chase's FDX v6 API (mocks/chase/openapi.yaml) into the
 * domain model. Balances ride on FDX account details; many accounts' transaction pages share one
 * multi-account search; identity comes from the FDX current customer.
 */
import type { Account, AccountOwner, Balance, Receipt } from "../../domain/model.js";
import type { BankProvider, BankSession, TransactionPage, TransactionPageRequest } from "../contract.js";
import type { ProviderOptions } from "../provider-module.js";
import { ProviderError } from "../provider-error.js";
import type { ProviderModule } from "../provider-module.js";
import { chaseWebhooks } from "./webhook.js";
import { callQuery, encodeCursor, planCalls, startOffset } from "./paging.js";
import { toAccount, toBalance, toOwners, toTransaction } from "./translate.js";
import { accountsResponse, customerResponse, transactionsResponse, type FdxAccount } from "./wire.js";
import { chaseAuthorization } from "./authorization.js";
import { createChasePaymentRail } from "./payments.js";

const FDX = "/fdx/v6";
/** Chase's largest page of accounts; more accounts than this are followed by offset. */
const ACCOUNT_PAGE = 500;

/**
 * Runs a translation, turning a body that passed the schema but is still not money (say, cents
 * on a currency without minor units) into BAD_RESPONSE instead of an unexpected error.
 */
function translated<T>(where: string, translate: () => T): T {
  try {
    return translate();
  } catch (error) {
    throw new ProviderError("BAD_RESPONSE", chase.id, chase.name, `${where}: ${(error as Error).message}`);
  }
}

/** Builds the Chase adapter over an HTTP client bound to Chase's base URL. */
export function createChaseProvider({ http }: ProviderOptions): BankProvider {
  /** Every account of an FDX account search, following `page.nextOffset`. */
  async function searchAccounts(session: BankSession, query: { accountIds?: string; resultType: "lightweight" | "details" }): Promise<FdxAccount[]> {
    const found: FdxAccount[] = [];
    let offset: string | undefined;
    do {
      const body = await http.request({ path: `${FDX}/accounts`, query: { ...query, offset, limit: ACCOUNT_PAGE }, session }, accountsResponse);
      found.push(...body.accounts.filter((a): a is FdxAccount => a !== null));
      offset = body.page?.nextOffset;
    } while (offset);
    return found;
  }

  return {
    id: chase.id,
    name: chase.name,
    capabilities: { receipts: false, identity: true },

    async listAccounts(session): Promise<Account[]> {
      const accounts = await searchAccounts(session, { resultType: "lightweight" });
      return accounts.map(toAccount).filter((a): a is Account => a !== null);
    },

    async getBalances(session, accountIds): Promise<Balance[]> {
      if (accountIds.length === 0) return [];
      const accounts = await searchAccounts(session, { accountIds: [...new Set(accountIds)].join(","), resultType: "details" });
      return translated("balances", () => accounts.map(toBalance).filter((b): b is Balance => b !== null));
    },

    async listTransactions(session, requests: readonly TransactionPageRequest[]): Promise<TransactionPage[]> {
      const { calls, callOf } = planCalls(requests);
      const answers = await Promise.all(
        calls.map((call) => http.request({ path: `${FDX}/transactions`, query: callQuery(call), session }, transactionsResponse)),
      );
      return translated("transactions", () =>
        requests.map((request, i) => {
          const call = calls[callOf[i]!]!;
          const block = answers[callOf[i]!]!.results.find((r) => r.accountId === request.accountId);
          // Chase leaves out accounts it will not serve; to the caller that is an empty listing.
          if (!block) return { accountId: request.accountId, items: [], nextCursor: null };
          const currency = block.currency.currencyCode.toUpperCase();
          const { nextOffset } = block.page;
          const start = startOffset(request);
          return {
            accountId: request.accountId,
            items: block.transactions.map((t) => toTransaction(t, request.accountId, currency)),
            nextCursor: nextOffset ? encodeCursor({ offset: nextOffset, startTime: call.startTime, endTime: call.endTime }) : null,
            rows: { start, end: start + block.transactions.length },
          };
        }),
      );
    },

    // Chase has no itemized receipts: nothing to ask the bank.
    async getReceipts(): Promise<Receipt[]> {
      return [];
    },
    async listReceipts(): Promise<Receipt[]> {
      return [];
    },

    async getOwners(session, accountIds): Promise<AccountOwner[]> {
      if (accountIds.length === 0) return [];
      const customer = await http.request({ path: `${FDX}/customers/current`, session }, customerResponse);
      return toOwners(customer, accountIds);
    },
  };
}

/** JPMorgan Chase (FDX v6). */
export const chase: ProviderModule = {
  id: "chase",
  name: "JPMorgan Chase",
  create: createChaseProvider,
  authorization: chaseAuthorization,
  webhooks: chaseWebhooks,
  payments: createChasePaymentRail,
};
