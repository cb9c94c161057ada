/**
 * Per-request, per-link DataLoaders over one bank adapter. Everything a query asks of one link in
 * one tick becomes one upstream call per resource kind (balances of all accounts, first pages of
 * all accounts' transactions, …); different banks are called in parallel because their loaders
 * dispatch independently.
 */
import DataLoader from "dataloader";
import type { Account, AccountOwner, Balance, Receipt } from "../domain/model.js";
import type { BankProvider, BankSession, TransactionPage, TransactionPageRequest } from "../providers/contract.js";
import { ProviderError } from "../providers/provider-error.js";

export interface LinkRef {
  id: string;
  institutionId: string;
}

export interface LinkLoaderOptions {
  link: LinkRef;
  provider: BankProvider;
  /** The decrypted bank session; throws ProviderError LOGIN_REQUIRED when there is none. */
  session: () => BankSession;
  /** Called once when the bank says the login is no longer valid. */
  onLoginRequired: (linkId: string) => void;
}

export class LinkLoaders {
  readonly link: LinkRef;
  readonly provider: BankProvider;
  private accountsPromise: Promise<Account[]> | undefined;
  readonly balances: DataLoader<string, Balance | null>;
  readonly transactionPages: DataLoader<TransactionPageRequest, TransactionPage, string>;
  readonly receipts: DataLoader<string, Receipt | null>;
  readonly recentReceipts: DataLoader<{ accountId: string; limit: number }, Receipt[], string>;
  readonly owners: DataLoader<string, AccountOwner | null>;

  constructor(private readonly options: LinkLoaderOptions) {
    this.link = options.link;
    this.provider = options.provider;
    const call = <T>(fn: (session: BankSession) => Promise<T>) => this.call(fn);
    this.balances = new DataLoader(async (ids) => {
      const list = await call((s) => options.provider.getBalances(s, ids));
      return ids.map((id) => list.find((b) => b.accountId === id) ?? null);
    });
    this.transactionPages = new DataLoader((requests) => call((s) => options.provider.listTransactions(s, requests)), {
      cacheKeyFn: (r) => JSON.stringify([r.accountId, r.from, r.to, r.cursor, r.limit]),
    });
    this.receipts = new DataLoader(async (ids) => {
      const list = await call((s) => options.provider.getReceipts(s, ids));
      return ids.map((id) => list.find((r) => r.id === id) ?? null);
    });
    this.recentReceipts = new DataLoader(
      async (keys) => {
        const limit = Math.max(...keys.map((k) => k.limit));
        const list = await call((s) => options.provider.listReceipts(s, keys.map((k) => k.accountId), limit));
        return keys.map((k) => list.filter((r) => r.accountId === k.accountId).slice(0, k.limit));
      },
      { cacheKeyFn: (k) => `${k.accountId}\u0000${k.limit}` },
    );
    this.owners = new DataLoader(async (ids) => {
      const list = await call((s) => options.provider.getOwners(s, ids));
      return ids.map((id) => list.find((o) => o.accountId === id) ?? null);
    });
  }

  /** The link's accounts (one upstream call per request). */
  accounts(): Promise<Account[]> {
    this.accountsPromise ??= this.call((s) => this.provider.listAccounts(s));
    return this.accountsPromise;
  }

  async account(accountId: string): Promise<Account | undefined> {
    return (await this.accounts()).find((a) => a.id === accountId);
  }

  private async call<T>(fn: (session: BankSession) => Promise<T>): Promise<T> {
    try {
      return await fn(this.options.session());
    } catch (error) {
      if (error instanceof ProviderError && error.failure === "LOGIN_REQUIRED") this.options.onLoginRequired(this.link.id);
      throw error;
    }
  }
}
