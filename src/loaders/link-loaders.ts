/**
 * Per-request, per-link DataLoaders over one bank adapter. Everything a query asks of one link in
 * one tick becomes one upstream call per resource kind (balances of all accounts, first pages of
 * all accounts' transactions, …); different banks are called in parallel because their loaders
 * dispatch independently.
 *
 * Every upstream call goes through the instance-wide upstream cache (`src/cache/`): identical
 * calls in flight from concurrent requests are made once, and accounts, balances and transaction
 * pages are kept for the TTL (a bank event for the link forgets them). Only the bank gate
 * (`src/loaders/bank-gate.ts`) opens loaders, after a granted consent decision, and hands out
 * scope-narrowed readers over them: neither the loaders nor the cache can bypass consent.
 */
import DataLoader from "dataloader";
import { systemClock } from "../clock.js";
import { UpstreamCache, type ReadOptions } from "../cache/upstream-cache.js";
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
  /** The decrypted bank session (refreshed first when about to expire); throws ProviderError LOGIN_REQUIRED when there is none. */
  session: () => Promise<BankSession>;
  /**
   * The bank refused `refused` (401): a new session from one forced refresh, for one retry of the
   * call. Absent: the refusal stands. Throws ProviderError LOGIN_REQUIRED when the bank refuses the refresh too.
   */
  refreshSession?: (refused: BankSession) => Promise<BankSession>;
  /**
   * Called when the bank says the login is no longer valid; awaited before the error reaches the
   * client, so a client that reads `links { status }` next already sees LOGIN_REQUIRED.
   */
  onLoginRequired: (linkId: string) => Promise<void>;
  /** The instance-wide upstream cache. Default: a private one without storage (single flight within this request only). */
  upstream?: UpstreamCache;
}

/** Accounts, balances and transaction pages are kept for the TTL; every other kind is only coalesced while in flight. */
const NOT_STORED: ReadOptions = { store: false };

export class LinkLoaders {
  readonly link: LinkRef;
  readonly provider: BankProvider;
  private accountsPromise: Promise<Account[]> | undefined;
  readonly balances: DataLoader<string, Balance | null>;
  readonly transactionPages: DataLoader<TransactionPageRequest, TransactionPage, string>;
  readonly receipts: DataLoader<string, Receipt | null>;
  readonly recentReceipts: DataLoader<{ accountId: string; limit: number }, Receipt[], string>;
  readonly owners: DataLoader<string, AccountOwner | null>;
  private readonly upstream: UpstreamCache;
  /** Balance loaders by the freshness asked for (`Account.balance(maxAge:)`); undefined = the TTL. */
  private readonly balanceLoaders = new Map<number | undefined, DataLoader<string, Balance | null>>();

  constructor(private readonly options: LinkLoaderOptions) {
    this.link = options.link;
    this.provider = options.provider;
    this.upstream = options.upstream ?? new UpstreamCache({ ttlMs: 0, clock: systemClock });
    this.balances = this.balanceLoader(undefined);
    this.transactionPages = new DataLoader(
      (requests) => this.read("transactions", JSON.stringify(requests), (s) => options.provider.listTransactions(s, requests)),
      { cacheKeyFn: (r) => JSON.stringify([r.accountId, r.from, r.to, r.cursor, r.offset, r.limit]) },
    );
    this.receipts = new DataLoader(async (ids) => {
      const list = await this.read("receipts", JSON.stringify(ids), (s) => options.provider.getReceipts(s, ids), NOT_STORED);
      return ids.map((id) => list.find((r) => r.id === id) ?? null);
    });
    this.recentReceipts = new DataLoader(
      async (keys) => {
        const limit = Math.max(...keys.map((k) => k.limit));
        const accountIds = keys.map((k) => k.accountId);
        const list = await this.read(
          "recentReceipts",
          JSON.stringify([accountIds, limit]),
          (s) => options.provider.listReceipts(s, accountIds, limit),
          NOT_STORED,
        );
        return keys.map((k) => list.filter((r) => r.accountId === k.accountId).slice(0, k.limit));
      },
      { cacheKeyFn: (k) => `${k.accountId}\u0000${k.limit}` },
    );
    this.owners = new DataLoader(async (ids) => {
      const list = await this.read("owners", JSON.stringify(ids), (s) => options.provider.getOwners(s, ids), NOT_STORED);
      return ids.map((id) => list.find((o) => o.accountId === id) ?? null);
    });
  }

  /** The link's accounts (one upstream call per request at most; none while the cached list is fresh). */
  accounts(): Promise<Account[]> {
    this.accountsPromise ??= this.read("accounts", "", (s) => this.provider.listAccounts(s));
    return this.accountsPromise;
  }

  /**
   * One account's balance. `maxAgeMs` asks for an answer at most that old (0: ask the bank now);
   * default: whatever the cache holds within its TTL.
   */
  balance(accountId: string, maxAgeMs?: number): Promise<Balance | null> {
    return (this.balanceLoaders.get(maxAgeMs) ?? this.balanceLoader(maxAgeMs)).load(accountId);
  }

  async account(accountId: string): Promise<Account | undefined> {
    return (await this.accounts()).find((a) => a.id === accountId);
  }

  private balanceLoader(maxAgeMs: number | undefined): DataLoader<string, Balance | null> {
    const loader = new DataLoader<string, Balance | null>(async (ids) => {
      const found = await this.withSession((session) =>
        this.upstream.readMany(
          this.link.id,
          "balance",
          ids,
          async (missing) => new Map((await this.provider.getBalances(session, missing)).map((b) => [b.accountId, b])),
          { maxAgeMs },
        ),
      );
      return ids.map((id) => found.get(id) ?? null);
    });
    this.balanceLoaders.set(maxAgeMs, loader);
    return loader;
  }

  /** One bank call through the upstream cache, keyed by this link, the kind and the call's arguments. */
  private read<T>(kind: string, key: string, fn: (session: BankSession) => Promise<T>, options?: ReadOptions): Promise<T> {
    return this.withSession((session) => this.upstream.read({ linkId: this.link.id, kind, key }, () => fn(session), options));
  }

  /**
   * Runs `fn` with this request's bank session (checked on every read, cached or not). A 401 from
   * the bank: one forced refresh and one retry. Reports a lost login.
   */
  private async withSession<T>(fn: (session: BankSession) => Promise<T>): Promise<T> {
    try {
      const session = await this.options.session();
      try {
        return await fn(session);
      } catch (error) {
        if (!(error instanceof ProviderError && error.failure === "LOGIN_REQUIRED" && this.options.refreshSession)) throw error;
        return await fn(await this.options.refreshSession(session));
      }
    } catch (error) {
      if (error instanceof ProviderError && error.failure === "LOGIN_REQUIRED") await this.options.onLoginRequired(this.link.id);
      throw error;
    }
  }
}
