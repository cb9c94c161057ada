/**
 * How the adapter pages Amex transactions. Amex's `next_token` already carries the card, the
 * date range and the position, so our cursor is that token as is, and a continuation can ride
 * along with any call of the same page size. First pages share a call when range and size match.
 */
import type { TransactionPageRequest } from "../contract.js";
import { toAmexDate } from "./translate.js";

/** The most rows Amex returns per card and call. */
export const MAX_LIMIT = 500;

/** One `POST /servicing/v1/financials/transactions` call. */
export interface TransactionsCall {
  limit: number;
  startDate: string | null;
  endDate: string | null;
  cards: Array<{ accountToken: string; nextToken: string | null; index: number }>;
}

/** The body Amex expects for a call. */
export function callBody(call: TransactionsCall): Record<string, unknown> {
  return {
    cards: call.cards.map((c) => (c.nextToken ? { account_token: c.accountToken, next_token: c.nextToken } : { account_token: c.accountToken })),
    ...(call.startDate ? { start_date: call.startDate } : {}),
    ...(call.endDate ? { end_date: call.endDate } : {}),
    limit: call.limit,
  };
}

/**
 * Groups requests into as few calls as Amex allows: first pages by range and size;
 * continuations (whose token fixes their own range) into any call of their size. A call lists
 * each card once, so the same card asked for twice takes a second call.
 */
export function planTransactionCalls(requests: readonly TransactionPageRequest[]): TransactionsCall[] {
  const calls: TransactionsCall[] = [];
  const indexed = requests.map((request, index) => ({ request, index }));
  const firstPages = indexed.filter(({ request }) => !request.cursor);
  const continuations = indexed.filter(({ request }) => request.cursor);
  for (const { request, index } of [...firstPages, ...continuations]) {
    const limit = Math.min(Math.max(1, Math.floor(request.limit)), MAX_LIMIT);
    const startDate = request.from ? toAmexDate(request.from) : null;
    const endDate = request.to ? toAmexDate(request.to) : null;
    const fits = (call: TransactionsCall) =>
      call.limit === limit &&
      (request.cursor ? true : call.startDate === startDate && call.endDate === endDate) &&
      !call.cards.some((c) => c.accountToken === request.accountId);
    let call = calls.find(fits);
    if (!call) {
      call = { limit, startDate, endDate, cards: [] };
      calls.push(call);
    }
    call.cards.push({ accountToken: request.accountId, nextToken: request.cursor ?? null, index });
  }
  return calls;
}
