/**
 * What a granted decision lets a resolver read: one narrow reader per data scope, over the link's
 * raw loaders, which never leave the gate. Each reader
 *  - reads only its scope's resources (an `accounts:read` reader has no `balance`),
 *  - applies the decision's history window (transactions and receipts dated before it do not
 *    exist for the app, on any path), and
 *  - puts (link, scope) on the request's access record after a bank read SUCCEEDED, so the log
 *    says what was delivered: a failed read leaves no record, a `__typename` or a count does.
 * Built by `bank-gate.ts` only.
 */
import type { Account, AccountOwner, Balance, Receipt } from "../domain/model.js";
import type { LinkLoaders, LinkRef } from "./link-loaders.js";
import type { TransactionPage, TransactionPageRequest } from "../providers/contract.js";
import type { AccessRecorder } from "../consent/access-recorder.js";
import { withinWindow, type Grant, type HistoryWindow } from "../consent/consent-view.js";

/** The data scopes a resolver may open the bank for (alerts only arrive as events). */
export type ReadScope = keyof ReaderFor;

/** The reader a granted scope opens. */
export interface ReaderFor {
  "accounts:read": AccountsReader;
  "balances:read": BalancesReader;
  "transactions:read": TransactionsReader;
  "receipts:read": ReceiptsReader;
  "identity:read": IdentityReader;
}

/** Common to every reader: which link it reads. */
export interface LinkReader {
  readonly link: LinkRef;
}

/** accounts:read */
export interface AccountsReader extends LinkReader {
  /** The link's accounts. */
  accounts(): Promise<Account[]>;
  /** One account by the bank's ID, or undefined. */
  account(accountId: string): Promise<Account | undefined>;
}

/** balances:read */
export interface BalancesReader extends LinkReader {
  /** One account's balance; `maxAgeMs` asks for an answer at most that old (0: ask the bank now). */
  balance(accountId: string, maxAgeMs?: number): Promise<Balance | null>;
}

/** transactions:read, within the consent's history window. */
export interface TransactionsReader extends LinkReader {
  readonly window: HistoryWindow;
  /** The bank keeps a pending row listed after its posting replaces it (the provider's capability). */
  readonly keepsReplacedPending: boolean;
  /**
   * One bank page. `from` is raised to the window's start; a range wholly before the window is an
   * empty page without a bank call; rows dated before the window are dropped.
   */
  page(request: TransactionPageRequest): Promise<TransactionPage>;
  /**
   * Whether the link holds this account: checks an ID taken from a global ID before paging for
   * it. Not recorded as an accounts:read — nothing of the account is delivered.
   */
  holdsAccount(accountId: string): Promise<boolean>;
}

/** receipts:read, within the consent's history window. */
export interface ReceiptsReader extends LinkReader {
  readonly window: HistoryWindow;
  /** A receipt by the bank's ID; null when missing, issued before the window, or the bank has no receipts. */
  receipt(receiptId: string): Promise<Receipt | null>;
  /** The account's newest receipts inside the window ([] where the bank has none). */
  recentReceipts(accountId: string, limit: number): Promise<Receipt[]>;
}

/** identity:read */
export interface IdentityReader extends LinkReader {
  /** The account holder, or null. */
  owner(accountId: string): Promise<AccountOwner | null>;
}

type Build<S extends ReadScope> = (loaders: LinkLoaders, grant: Grant, delivered: <T>(read: Promise<T>) => Promise<T>) => ReaderFor[S];

const BUILDERS: { [S in ReadScope]: Build<S> } = {
  "accounts:read": (loaders, _grant, delivered) => ({
    link: loaders.link,
    accounts: () => delivered(loaders.accounts()),
    account: (accountId) => delivered(loaders.account(accountId)),
  }),
  "balances:read": (loaders, _grant, delivered) => ({
    link: loaders.link,
    balance: (accountId, maxAgeMs) => delivered(loaders.balance(accountId, maxAgeMs)),
  }),
  "transactions:read": (loaders, { window }, delivered) => ({
    link: loaders.link,
    window,
    keepsReplacedPending: loaders.provider.capabilities.keepsReplacedPending,
    async page(request) {
      const earliest = window.earliest;
      if (earliest !== null && request.to !== undefined && request.to < earliest) return { accountId: request.accountId, items: [], nextCursor: null };
      const from = earliest !== null && (request.from === undefined || request.from < earliest) ? earliest : request.from;
      const page = await delivered(loaders.transactionPages.load({ ...request, from }));
      return earliest === null ? page : withinWindowPage(page, earliest);
    },
    holdsAccount: async (accountId) => (await loaders.account(accountId)) !== undefined,
  }),
  "receipts:read": (loaders, { window }, delivered) => ({
    link: loaders.link,
    window,
    async receipt(receiptId) {
      if (!loaders.provider.capabilities.receipts) return null;
      const receipt = await delivered(loaders.receipts.load(receiptId));
      return receipt && withinWindow(window, receipt.issuedAt) ? receipt : null;
    },
    async recentReceipts(accountId, limit) {
      if (!loaders.provider.capabilities.receipts) return [];
      const receipts = await delivered(loaders.recentReceipts.load({ accountId, limit }));
      return receipts.filter((r) => withinWindow(window, r.issuedAt));
    },
  }),
  "identity:read": (loaders, _grant, delivered) => ({
    link: loaders.link,
    owner: (accountId) => delivered(loaders.owners.load(accountId)),
  }),
};

/**
 * Bank pages cut to a window's start, per page object and start date: the same cached page cut
 * the same way is the same object on every request, which lets a transaction connection built
 * from it be reused (`src/schema/transactions/replayed-pages.ts`).
 */
const cutPages = new WeakMap<TransactionPage, Map<string, TransactionPage>>();

function withinWindowPage(page: TransactionPage, earliest: string): TransactionPage {
  let byStart = cutPages.get(page);
  if (!byStart) cutPages.set(page, (byStart = new Map<string, TransactionPage>()));
  let cut = byStart.get(earliest);
  if (!cut) byStart.set(earliest, (cut = { ...page, items: page.items.filter((t) => withinWindow({ earliest }, t.date)) }));
  return cut;
}

/** The reader for `scope` over `loaders`, recording each successful read under `grant` on `access`. */
export function readerFor<S extends ReadScope>(scope: S, loaders: LinkLoaders, grant: Grant, access: AccessRecorder): ReaderFor[S] {
  const source = { linkId: loaders.link.id, institutionId: loaders.link.institutionId };
  const delivered = <T>(read: Promise<T>): Promise<T> =>
    read.then((value) => {
      access.recordDecision(source, grant);
      return value;
    });
  return (BUILDERS[scope] as Build<S>)(loaders, grant, delivered);
}
