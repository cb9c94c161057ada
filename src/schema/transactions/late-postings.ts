/**
 * Postings filed above a running walk whose pending rows the walk never listed.
 *
 * Banks file a posted row under its posting time, at the top of the listing. Where the bank also
 * drops the pending row the posting replaces (Chase, Wells Fargo, PayPal, Amex), a purchase that
 * posts before a walk reaches its pending row would vanish from the walk: its pending row is gone
 * from ahead, its posting lies above where the walk began. So at such banks each page ends with a
 * look at the top of the listing, down to the newest posted row seen at the last look (posted
 * rows never leave a listing, so that mark is still there), and lists every posting found there
 * whose pending row the walk did not list.
 *
 * Whether the walk listed a pending row needs no list of everything it listed: pending rows are
 * filed under their authorization time, which a posted row also reports (`authorizedAt`), and a
 * walk lists them in that order. So a pending row authorized at or above the last pending row
 * delivered before this page (the cursor's `pendingFloor`) was listed — or arrived after the walk
 * began, and then it was never due — and one below it was listed only if this page listed it.
 * Postings of purchases that arrived during the walk are therefore left out like the arrivals
 * themselves — except before the walk has delivered any pending row, when the two cannot be told
 * apart and the posting is listed (once: its pending row was never listed).
 *
 * Bounds (all far past real accounts): a look reads at most 668 rows filed since the last one; at
 * most `MAX_OWED` postings wait for room at once; `MAX_FLOOR_IDS` pending rows authorized in the
 * same instant. A look is served by the upstream cache like any read, which a bank event for the
 * link clears: a posting the gateway is never told of is seen only once the cached top expires.
 */
import { TransactionStatus, type Transaction } from "../../domain/model.js";
import { rowHash, type RowHash, type TransactionCursor } from "../../loaders/transaction-cursor.js";
import type { TransactionPage, TransactionPageRequest } from "../../providers/contract.js";

export type PendingFloor = TransactionCursor["pendingFloor"];
export type TopMark = TransactionCursor["topMark"];

/** Rows the first call of a look asks for; each further call asks for four times as many (up to `MAX_LOOK_LIMIT`). */
const LOOK_LIMIT = 8;
const MAX_LOOK_LIMIT = 500;
/** Bank calls one look may make: 8 + 32 + 128 + 500 rows filed since the last look. */
const LOOK_CALLS = 4;

/** The rows a look read, newest first, each once. */
export interface TopLook {
  above: Transaction[];
  /** The row the look stopped at (not in `above`); null when the listing ended or the calls ran out. */
  end: Transaction | null;
  /** False when the calls ran out before `end` or the end of the listing. */
  complete: boolean;
}

type PageRead = (request: Omit<TransactionPageRequest, "accountId" | "from" | "to">) => Promise<TransactionPage>;

/**
 * Reads the listing from its top until `isEnd` (told whether the bank pages by row index, whose
 * rows may shift between calls). `head`: the answer of a read of the top already made.
 */
export async function lookAtTop(read: PageRead, isEnd: (t: Transaction, indexed: boolean) => boolean, head?: TransactionPage): Promise<TopLook> {
  const above: Transaction[] = [];
  const seen = new Set<string>();
  let limit = LOOK_LIMIT;
  let page = head ?? (await read({ cursor: null, limit }));
  for (let calls = 1; ; calls++) {
    const indexed = page.rows !== undefined;
    for (const t of page.items) {
      if (isEnd(t, indexed)) return { above, end: t, complete: true };
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      above.push(t);
    }
    if (page.nextCursor === null) return { above, end: null, complete: true };
    if (calls >= LOOK_CALLS) return { above, end: null, complete: false };
    limit = Math.min(limit * 4, MAX_LOOK_LIMIT);
    page = await read(page.rows ? { offset: page.rows.end, limit } : { cursor: page.nextCursor, limit });
  }
}

/** The first look of a walk: the newest posted row of the listing, from the walk's first read of the top. */
export async function firstTopMark(read: PageRead, head: TransactionPage): Promise<TopMark> {
  const look = await lookAtTop(read, (t) => t.status === TransactionStatus.POSTED, head);
  if (look.end) return markOf(look.end);
  // No posted row in the listing: every posting found later is new. Out of calls: the last row read is the best mark there is.
  const last = look.above.at(-1);
  return look.complete || !last ? null : markOf(last);
}

/** Whether `t` is the mark (or, at a bank paging by row index, certainly filed below it). */
export function reachedMark(mark: TopMark): (t: Transaction, indexed: boolean) => boolean {
  return (t, indexed) => mark !== null && (rowHash(t.id) === mark.id || (indexed && listingKey(t) < mark.key));
}

/**
 * The postings among `above` (newest first) the walk must list, oldest first: the ones it owes from
 * an earlier page, and those whose pending row it did not list. `listedThisPage`: hashes of the
 * pending rows this page delivered; `floor`: the pending floor before this page.
 */
export function latePostings(
  above: readonly Transaction[],
  owed: ReadonlySet<RowHash>,
  floor: PendingFloor,
  listedThisPage: ReadonlySet<RowHash>,
): Transaction[] {
  const late = above.filter((t) => {
    if (owed.has(rowHash(t.id))) return true;
    if (t.status !== TransactionStatus.POSTED || !t.pendingTransactionId) return false;
    // Without the authorization time the walk cannot tell: rather not list it than list it twice.
    const key = t.authorizedAt?.getTime();
    if (key === undefined) return false;
    const pending = rowHash(t.pendingTransactionId);
    return !listedThisPage.has(pending) && !atOrAbove(floor, key, pending);
  });
  return late.reverse();
}

/** The newest posted row of `rows` (newest first) as a mark, or undefined. */
export function newestPostedMark(rows: readonly Transaction[]): TopMark | undefined {
  const posted = rows.find((t) => t.status === TransactionStatus.POSTED);
  return posted ? markOf(posted) : undefined;
}

/** The floor after delivering a pending row authorized at `key` (pending rows come in authorization order, newest first). */
export function lowerFloor(floor: PendingFloor, key: number, id: RowHash, maxIds: number): PendingFloor {
  if (floor === null || key < floor.key) return { key, ids: [id] };
  if (key === floor.key && !floor.ids.includes(id)) return { key, ids: [...floor.ids, id].slice(-maxIds) };
  return floor;
}

/** The authorization time of a row as pending rows are filed under it (a pending row's own time). */
export function authorizationKey(t: Transaction): number | undefined {
  return (t.authorizedAt ?? t.timestamp)?.getTime();
}

/** The row's place in an index bank's newest-first order: its filing time (the day's start when the bank gives no time). */
export function listingKey(t: Transaction): number {
  return t.timestamp?.getTime() ?? Date.parse(`${t.date}T00:00:00Z`);
}

function markOf(t: Transaction): NonNullable<TopMark> {
  return { key: listingKey(t), id: rowHash(t.id) };
}

function atOrAbove(floor: PendingFloor, key: number, id: RowHash): boolean {
  return floor !== null && (key > floor.key || (key === floor.key && floor.ids.includes(id)));
}
