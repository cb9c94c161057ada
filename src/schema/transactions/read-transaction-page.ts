/**
 * One page of an account's transactions over the bank's native paging, without double counting:
 * a pending row that a posted row replaced is dropped (the posted row names it in
 * `pendingTransactionId`). Banks list newest first, and a posted row is dated after its pending
 * authorization, so the posted row is always seen first — on this page or an earlier one (carried
 * in the cursor).
 */
import { TransactionStatus, type Transaction } from "../../domain/model.js";
import type { TransactionPage, TransactionPageRequest } from "../../providers/contract.js";
import type { ScopedCursorCodec, TransactionCursor } from "../../loaders/transaction-cursor.js";

/** Where the bank pages come from: the bank gate's transactions reader (clamped to the consent's window). */
export interface TransactionPageSource {
  page(request: TransactionPageRequest): Promise<TransactionPage>;
}

export interface TransactionPageArgs {
  first: number;
  after?: string | null;
  from?: string;
  to?: string;
  /** Signs and checks this query's cursors. */
  cursors: ScopedCursorCodec;
}

export interface TransactionPageResult {
  items: Array<{ transaction: Transaction; cursor: string }>;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** How far back (days) a superseding posted row is remembered across pages. */
const CARRY_DAYS = 10;
const MAX_CARRIED = 500;

export async function readTransactionPage(source: TransactionPageSource, accountId: string, args: TransactionPageArgs): Promise<TransactionPageResult> {
  const { cursors } = args;
  const position: TransactionCursor = args.after ? cursors.decode(args.after) : { upstream: null, skip: 0, superseded: [] };
  const page = await source.page({
    accountId,
    from: args.from,
    to: args.to,
    cursor: position.upstream,
    limit: position.skip + args.first,
  });

  const superseded = new Map(position.superseded);
  for (const t of page.items) {
    if (t.status === TransactionStatus.POSTED && t.pendingTransactionId) superseded.set(t.pendingTransactionId, t.date);
  }
  const carry = (oldestDate: string | undefined): TransactionCursor["superseded"] => {
    const horizon = oldestDate ? shiftDate(oldestDate, -CARRY_DAYS) : undefined;
    return [...superseded].filter(([, date]) => !horizon || date >= horizon).slice(-MAX_CARRIED);
  };

  const items: TransactionPageResult["items"] = [];
  const lastOfBankPage = page.items.length - 1;
  page.items.forEach((t, index) => {
    if (index < position.skip) return;
    if (t.status === TransactionStatus.PENDING && superseded.has(t.id)) return;
    // After the bank page's last row, resume at the bank's next page: some banks fix the page
    // size in their own cursor, so re-reading this page for more rows would find none.
    const cursor = cursors.encode(
      index === lastOfBankPage && page.nextCursor !== null
        ? { upstream: page.nextCursor, skip: 0, superseded: carry(t.date) }
        : { upstream: position.upstream, skip: index + 1, superseded: carry(t.date) },
    );
    items.push({ transaction: t, cursor });
  });
  for (const t of page.items) if (t.status === TransactionStatus.PENDING) superseded.delete(t.id);

  const oldest = page.items[page.items.length - 1]?.date;
  return {
    items,
    hasNextPage: page.nextCursor !== null,
    endCursor:
      page.nextCursor !== null ? cursors.encode({ upstream: page.nextCursor, skip: 0, superseded: carry(oldest) }) : (items[items.length - 1]?.cursor ?? null),
  };
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
