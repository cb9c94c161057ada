/**
 * One exact page of an account's transactions over the bank's native paging: `first` rows
 * (fewer only on the last page), none listed twice and none skipped across pages while
 * transactions arrive, post, or replace a pending one between requests.
 *
 * Banks list newest first. Two kinds of native paging, told apart by the bank's answer:
 * - keyset banks (a token naming the last row served: Wells Fargo, Citi, Amex). Rows arriving or
 *   posting are filed at the top, so a token's position never moves. A page asks the bank for
 *   exactly the rows it still needs, so it ends where a bank page ends and `endCursor` is the
 *   bank's own token; an edge inside a bank page resumes by finding its row again (by ID).
 * - index banks (offsets, page numbers: Chase, PayPal, U.S. Bank). An index shifts by one for
 *   each row that arrives above it, or goes (a posted purchase's pending row). So the index is
 *   only a hint: the cursor keeps the boundary — the last row's listing key (filing time) and the
 *   rows delivered at that key — and a read starts one row early and drops every row at or above
 *   the boundary. If even that first row lies past the boundary, rows vanished above it and the
 *   read steps back until it overlaps what was delivered (or reaches the top).
 * A pending row whose posted row was already delivered is dropped (the posted row names it);
 * the cursor remembers such pending IDs only while their rows may still lie ahead (`CARRY_DAYS`
 * behind the posting, at most `MAX_SUPERSEDED`), so it does not grow with depth
 * (`transaction-cursor.ts`). A page that drops rows reads on until it has `first`.
 *
 * A purchase is listed once, as pending or as posted, even when it posts during the walk: as
 * pending if the walk reached its pending row first (or the bank keeps that row listed), as posted
 * if it posted before — then, at banks that drop the pending row, the posting is filed above the
 * walk, and a later page (usually the next) ends with it (`late-postings.ts`).
 *
 * What a walk does not show: rows filed above where it started (new purchases and their postings).
 * A client sees those by reading from the top again.
 */
import type { Transaction } from "../../domain/model.js";
import { MAX_OWED, rowHash, type RowHash, type ScopedCursorCodec, type TransactionCursor } from "../../loaders/transaction-cursor.js";
import type { TransactionPage, TransactionPageRequest } from "../../providers/contract.js";
import { firstTopMark, latePostings, lookAtTop, newestPostedMark, reachedMark, type TopMark } from "./late-postings.js";
import { Walk } from "./transaction-walk.js";

/** Where the bank pages come from: the bank gate's transactions reader (clamped to the consent's window). */
export interface TransactionPageSource {
  page(request: TransactionPageRequest): Promise<TransactionPage>;
  /** The bank keeps a pending row listed after its posting replaces it (`ProviderCapabilities`): no postings to look for at the top. */
  readonly keepsReplacedPending: boolean;
}

export interface TransactionPageArgs {
  first: number;
  after?: string | null;
  from?: string;
  to?: string;
  /** Signs and checks this query's cursors. */
  cursors: ScopedCursorCodec;
}

/** A delivered row; its cursor is signed only when read (most queries never select edge cursors). */
export interface TransactionPageItem {
  readonly transaction: Transaction;
  readonly cursor: string;
}

export interface TransactionPageResult {
  items: TransactionPageItem[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Bank calls one page may make (pages of dropped rows, steps back at an index bank) before it answers with what it has. */
const MAX_BANK_CALLS = 8;
/** Extra rows each read asks for (replaced pending rows come in runs). */
export const REFILL_SLACK = 8;

const START: TransactionCursor = {
  upstream: null,
  offset: null,
  skip: 0,
  boundary: null,
  superseded: [],
  pendingFloor: null,
  topMark: null,
  owed: [],
};

export async function readTransactionPage(source: TransactionPageSource, accountId: string, args: TransactionPageArgs): Promise<TransactionPageResult> {
  const { cursors, first } = args;
  const start = args.after ? cursors.decode(args.after) : START;
  const watchTop = !source.keepsReplacedPending;
  const walk = new Walk(start, watchTop);
  const items: LazyCursorItem[] = [];
  // Room kept for postings owed from the last page (listed at this page's end); at least one row of the walk goes on.
  const room = first - Math.min(watchTop ? start.owed.length : 0, first - 1);
  let more = true;
  /** `more` only because the bank has a next page, whose rows may all be replaced pending rows. */
  let maybe = false;
  let stepBack = 0;
  let head: TransactionPage | undefined;
  const read = (need: number) => readPast(source, accountId, args, walk.position, need);

  let calls = 0;
  for (; calls < MAX_BANK_CALLS && more && items.length < room; calls++) {
    // Every read asks for a few rows more than the page needs: banks that keep a replaced pending
    // row beside its posted one drop rows from a page, and a page filled by one read is one bank call.
    const need = room - items.length + REFILL_SLACK;
    const { position } = walk;
    const page = await read(need);
    if (calls === 0 && !args.after) head = page;
    const deliver = (t: Transaction) => items.push(new LazyCursorItem(t, walk.position, cursors));

    if (page.rows) {
      const { start } = page.rows;
      if (walk.missedAbove(page)) {
        // Rows went from above the boundary: the ones after it now sit before this page.
        stepBack = Math.max(need + 1, 2 * stepBack);
        walk.position = { ...position, offset: Math.max(0, start - stepBack) };
        continue;
      }
      let stopped = false;
      for (const [i, t] of page.items.entries()) {
        if (walk.passed(t)) continue;
        if (items.length === room) {
          const rest = page.items.slice(i);
          stopped = !rest.every((r) => walk.replaced(r));
          // Only replaced pending rows left: pass them too, so the boundary is the row just before `offset`.
          if (!stopped) rest.forEach((r, k) => walk.advanceIndexed(r, start + i + k + 1));
          break;
        }
        if (walk.advanceIndexed(t, start + i + 1)) deliver(t);
      }
      more = stopped || page.nextCursor !== null;
      maybe = !stopped;
      if (!stopped) walk.position = { ...walk.position, offset: page.rows.end };
    } else {
      const rows = page.items;
      let stopped = false;
      for (let i = walk.resumeIndex(rows); i < rows.length; i++) {
        if (items.length === room) {
          stopped = !rows.slice(i).every((rest) => walk.replaced(rest));
          break;
        }
        const endsBankPage = i === rows.length - 1 && page.nextCursor !== null;
        if (walk.advanceKeyset(rows[i]!, endsBankPage ? { upstream: page.nextCursor!, skip: 0 } : { upstream: position.upstream, skip: i + 1 })) {
          deliver(rows[i]!);
        }
      }
      more = stopped || page.nextCursor !== null;
      maybe = !stopped;
      if (!stopped && page.nextCursor !== null) walk.position = { ...walk.position, upstream: page.nextCursor, skip: 0, boundary: null };
    }
  }

  // A full page that ended where a bank page ended: look at the rows past it before promising a
  // next page, so that a walk never ends on an empty page after hasNextPage was true.
  if (more && maybe && items.length === room && calls < MAX_BANK_CALLS) more = walk.anyLeft(await read(REFILL_SLACK));

  let end = walk.position;
  if (watchTop) {
    const late = await listLatePostings(source, accountId, args, { start, head, calls, walk, items });
    end = late.end;
    more ||= late.owed.length > 0;
  }
  return {
    items,
    hasNextPage: more,
    endCursor: more ? cursors.encode(end) : (items.at(-1)?.cursor ?? null),
  };
}

/**
 * Ends a page at a bank that drops replaced pending rows: finds the postings filed at the top since
 * the walk last looked whose pending rows it did not list, and lists them after the page's rows
 * (those that do not fit are owed to the next page). Sets the top state of every cursor of the page
 * and returns the page's end position. The first page only notes the top — from its first read, which
 * is the top — unless it took several reads, between which a pending row could have posted.
 */
async function listLatePostings(
  source: TransactionPageSource,
  accountId: string,
  args: TransactionPageArgs,
  page: { start: TransactionCursor; head: TransactionPage | undefined; calls: number; walk: Walk; items: LazyCursorItem[] },
): Promise<{ end: TransactionCursor; owed: RowHash[] }> {
  const { start, head, walk, items } = page;
  const readTop = (request: Omit<TransactionPageRequest, "accountId" | "from" | "to">) => source.page({ accountId, from: args.from, to: args.to, ...request });
  let mark: TopMark = start.topMark;
  if (head || start.topUnseen) {
    mark = await firstTopMark(readTop, head ?? (await readTop({ cursor: null, limit: REFILL_SLACK })));
    if (page.calls <= 1 || !head) {
      for (const item of items) item.settle({ topMark: mark, owed: [] });
      return { end: { ...walk.position, topMark: mark, owed: [] }, owed: [] };
    }
  }
  const look = await lookAtTop(readTop, reachedMark(mark));
  const owedBefore = new Set(start.owed);
  const late = latePostings(look.above, owedBefore, start.pendingFloor, walk.listedPending);
  const hashes = late.map((t) => rowHash(t.id));
  // A client resuming after one of the walk's rows never saw the postings that follow: they are owed.
  for (const item of items) item.settle({ topMark: mark, owed: hashes.slice(0, MAX_OWED) });
  const fits = Math.max(0, args.first - items.length);
  const listed = late.slice(0, fits);
  listed.forEach((t, i) => {
    // Past this posting: the walk looks again from it, and still owes the ones after it.
    const after = { ...walk.position, topMark: newestPostedMark([t])!, owed: hashes.slice(i + 1, i + 1 + MAX_OWED) };
    items.push(new LazyCursorItem(t, after, args.cursors));
  });
  const owed = hashes.slice(listed.length, listed.length + MAX_OWED);
  const topMark = owed.length > 0 ? (listed.length > 0 ? newestPostedMark([listed.at(-1)!])! : mark) : (newestPostedMark(look.above) ?? mark);
  return { end: { ...walk.position, topMark, owed }, owed };
}

/** The bank's rows from `position` on: `need` rows past it (an index bank's read starts one row early, at the boundary). */
function readPast(
  source: TransactionPageSource,
  accountId: string,
  args: TransactionPageArgs,
  position: TransactionCursor,
  need: number,
): Promise<TransactionPage> {
  const readFrom = position.offset === null ? null : Math.max(0, position.offset - (position.boundary ? 1 : 0));
  return source.page(
    readFrom === null
      ? { accountId, from: args.from, to: args.to, cursor: position.upstream, limit: position.skip + need }
      : // An index bank may stop anywhere: the rows past the page also tell whether any row is left to list.
        { accountId, from: args.from, to: args.to, offset: readFrom, limit: need + (position.offset! - readFrom) },
  );
}

/**
 * A row with the walk's position just past it, signed into a cursor on first read: an HMAC per
 * edge was ~10% of a dashboard's CPU, for cursors nobody selected. Positions are never mutated
 * (the walk replaces them), so signing later gives the text signing now would have.
 */
class LazyCursorItem implements TransactionPageItem {
  private signed: string | undefined;
  private top: Pick<TransactionCursor, "topMark" | "owed"> | undefined;

  constructor(
    readonly transaction: Transaction,
    private readonly position: TransactionCursor,
    private readonly cursors: ScopedCursorCodec,
  ) {}

  /** What the page's end learnt at the top of the listing, which every cursor of the page carries. */
  settle(top: Pick<TransactionCursor, "topMark" | "owed">): void {
    this.top = top;
  }

  get cursor(): string {
    return (this.signed ??= this.cursors.encode(this.top ? { ...this.position, ...this.top } : this.position));
  }
}
