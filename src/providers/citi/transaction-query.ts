/**
 * Plans `listTransactions` onto Citi's multi-account query. One query carries one date range and
 * page size for its first pages, while a continuation's cursor carries its own range: so first
 * pages with the same range and limit, plus any continuations with that limit, share one call.
 */
import { badInput } from "../../errors.js";
import type { TransactionPageRequest } from "../contract.js";

/** One upstream `POST /accounts/transactions/query`. */
export interface CitiQueryCall {
  body: {
    accounts: { accountId: string; cursor?: string }[];
    fromDate?: string;
    toDate?: string;
    pageSize: number;
  };
  /** For each entry of `body.accounts`, the index of the request it answers. */
  slots: number[];
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → Citi's `YYYYMMDD`. */
function citiDay(day: string | undefined, field: string): string | undefined {
  if (day === undefined) return undefined;
  if (!ISO_DAY.test(day)) throw badInput(`${field} must be a date as YYYY-MM-DD`);
  return day.replaceAll("-", "");
}

/**
 * Groups requests into as few calls as Citi allows. An account appears at most once per call,
 * because Citi answers per account ID and two pages of one account could not be told apart.
 */
export function planTransactionQueries(requests: readonly TransactionPageRequest[]): CitiQueryCall[] {
  const calls: { key: string; call: CitiQueryCall }[] = [];
  const place = (key: string, index: number, request: TransactionPageRequest, fits: (key: string) => boolean) => {
    let target = calls.find((c) => fits(c.key) && !c.call.body.accounts.some((a) => a.accountId === request.accountId));
    if (!target) {
      target = {
        key,
        call: {
          // A cursor carries its own range, so a call opened by a continuation needs none.
          body: request.cursor
            ? { accounts: [], pageSize: request.limit }
            : { accounts: [], fromDate: citiDay(request.from, "from"), toDate: citiDay(request.to, "to"), pageSize: request.limit },
          slots: [],
        },
      };
      calls.push(target);
    }
    target.call.body.accounts.push(request.cursor ? { accountId: request.accountId, cursor: request.cursor } : { accountId: request.accountId });
    target.call.slots.push(index);
  };
  // First pages first, so that continuations can ride along with them.
  requests.forEach((r, i) => {
    if (r.cursor) return;
    const key = `${r.limit}|${r.from ?? ""}|${r.to ?? ""}`;
    place(key, i, r, (k) => k === key);
  });
  requests.forEach((r, i) => {
    if (!r.cursor) return;
    place(`${r.limit}|cursor`, i, r, (k) => k.startsWith(`${r.limit}|`));
  });
  return calls.map((c) => c.call);
}
