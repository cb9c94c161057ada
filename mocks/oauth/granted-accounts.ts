/**
 * A token covers only the accounts the person chose on the bank's selection page. The guard runs
 * the rest of the request inside `withGrantedAccounts`, and the dataset view the routes read
 * through (`narrowedToGrant`) answers `accountsOf` / `accountOf` with those accounts only — so
 * every route (accounts, balances, transactions, receipts, identity), which all find accounts
 * through these two, sees only them without each route repeating the check.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { BankDataset } from "../data/dataset.js";
import type { MockAccount } from "../data/types.js";

const granted = new AsyncLocalStorage<ReadonlySet<string>>();

export function withGrantedAccounts(accountIds: readonly string[], next: () => void): void {
  granted.run(new Set(accountIds), next);
}

/** The dataset as the current request's grant sees it (unchanged outside a guarded request, e.g. bank events). */
export function narrowedToGrant(data: BankDataset): BankDataset {
  return new Proxy(data, {
    get(target, property) {
      if (property === "accountsOf") {
        return (customerId: string): MockAccount[] => {
          const allowed = granted.getStore();
          const accounts = target.accountsOf(customerId);
          return allowed ? accounts.filter((a) => allowed.has(a.id)) : accounts;
        };
      }
      if (property === "accountOf") {
        return (customerId: string, accountId: string): MockAccount | undefined => {
          const allowed = granted.getStore();
          return allowed && !allowed.has(accountId) ? undefined : target.accountOf(customerId, accountId);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
