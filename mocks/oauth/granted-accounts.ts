/**
 * A token covers only the accounts the person chose on the bank's selection page, and only the
 * history the consent allows (FDX lookbackPeriod, UK TransactionFromDateTime). The guard runs the
 * rest of the request inside `withGrantedAccounts`, and the dataset view the routes read through
 * (`narrowedToGrant`) answers `accountsOf` / `accountOf` with those accounts only and starts every
 * transaction listing's `span` no earlier than the history limit — so every route (accounts,
 * balances, transactions, receipts, identity), which all find accounts through these two and list
 * transactions through `listing(..).span(..)`, sees only what was granted without repeating the check.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { BankDataset } from "../data/dataset.js";
import type { RecordIndex } from "../data/record-index.js";
import type { MockAccount } from "../data/types.js";

interface Granted {
  accountIds: ReadonlySet<string>;
  historyFrom?: Date;
}

const granted = new AsyncLocalStorage<Granted>();

export function withGrantedAccounts(accountIds: readonly string[], historyFrom: Date | undefined, next: () => void): void {
  granted.run({ accountIds: new Set(accountIds), ...(historyFrom ? { historyFrom } : {}) }, next);
}

/**
 * The dataset as the current request's grant sees it (unchanged outside a guarded request, e.g. bank
 * events). The narrowed methods and the dataset's own methods, bound to it, are made once: routes
 * read `bank.data.…` several times per call.
 */
export function narrowedToGrant(data: BankDataset): BankDataset {
  const narrowed: Partial<Record<string | symbol, unknown>> = {
    accountsOf: (customerId: string): MockAccount[] => {
      const allowed = granted.getStore()?.accountIds;
      const accounts = data.accountsOf(customerId);
      return allowed ? accounts.filter((a) => allowed.has(a.id)) : accounts;
    },
    accountOf: (customerId: string, accountId: string): MockAccount | undefined => {
      const allowed = granted.getStore()?.accountIds;
      return allowed && !allowed.has(accountId) ? undefined : data.accountOf(customerId, accountId);
    },
    listing: (accountId: string, includeSupersededPending: boolean): RecordIndex => {
      const index = data.listing(accountId, includeSupersededPending);
      const historyFrom = granted.getStore()?.historyFrom;
      return historyFrom ? fromNoEarlierThan(index, historyFrom) : index;
    },
  };
  return new Proxy(data, {
    get(target, property) {
      let value = narrowed[property];
      if (value === undefined) {
        value = Reflect.get(target, property, target);
        // Methods come from the class and never change: bound once, on first use.
        if (typeof value === "function") narrowed[property] = value = (value as (...args: unknown[]) => unknown).bind(target);
      }
      return value;
    },
  });
}

/** The listing with `span(from, to)` starting at `historyFrom` at the earliest. */
function fromNoEarlierThan(index: RecordIndex, historyFrom: Date): RecordIndex {
  return new Proxy(index, {
    get(target, property) {
      if (property === "span") return (from?: Date, to?: Date) => target.span(from && from > historyFrom ? from : historyFrom, to);
      return bound(target, property);
    },
  });
}

function bound(target: object, property: string | symbol): unknown {
  const value: unknown = Reflect.get(target, property, target);
  return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}
