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

/** The dataset as the current request's grant sees it (unchanged outside a guarded request, e.g. bank events). */
export function narrowedToGrant(data: BankDataset): BankDataset {
  return new Proxy(data, {
    get(target, property) {
      if (property === "accountsOf") {
        return (customerId: string): MockAccount[] => {
          const allowed = granted.getStore()?.accountIds;
          const accounts = target.accountsOf(customerId);
          return allowed ? accounts.filter((a) => allowed.has(a.id)) : accounts;
        };
      }
      if (property === "accountOf") {
        return (customerId: string, accountId: string): MockAccount | undefined => {
          const allowed = granted.getStore()?.accountIds;
          return allowed && !allowed.has(accountId) ? undefined : target.accountOf(customerId, accountId);
        };
      }
      if (property === "listing") {
        return (accountId: string, includeSupersededPending: boolean): RecordIndex => {
          const index = target.listing(accountId, includeSupersededPending);
          const historyFrom = granted.getStore()?.historyFrom;
          return historyFrom ? fromNoEarlierThan(index, historyFrom) : index;
        };
      }
      return bound(target, property);
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
