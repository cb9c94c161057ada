/**
 * Where a walk of an account's transaction pages stands, and how it moves past one row: the
 * position its cursor carries, the replaced pending IDs it must still drop, and (at banks that drop
 * replaced pending rows) the pending floor that `late-postings.ts` judges postings by. Used by
 * `read-transaction-page.ts` only.
 */
import { TransactionStatus, type Transaction } from "../../domain/model.js";
import { MAX_FLOOR_IDS, MAX_SUPERSEDED, rowHash, type RowHash, type TransactionCursor } from "../../loaders/transaction-cursor.js";
import type { TransactionPage } from "../../providers/contract.js";
import { authorizationKey, listingKey, lowerFloor, type PendingFloor } from "./late-postings.js";

/** How long (days after its posting) a replaced pending ID is remembered: a posting's lag behind its authorization. */
const CARRY_DAYS = 10;
const DAY_MS = 86_400_000;

/** Where a walk stands, and how it moves past one row. */
export class Walk {
  position: TransactionCursor;
  /** Hashes of the pending rows this page delivered. */
  readonly listedPending = new Set<RowHash>();
  /** Replaced pending IDs → posted day. */
  private readonly superseded: Map<RowHash, number>;
  private pendingFloor: PendingFloor;

  /** `watchTop`: the bank drops replaced pending rows, so the walk keeps the floor that `late-postings.ts` needs. */
  constructor(
    start: TransactionCursor,
    private readonly watchTop: boolean,
  ) {
    this.position = start;
    this.superseded = new Map(start.superseded);
    this.pendingFloor = start.pendingFloor;
  }

  /** At an index bank: true when the row was delivered already, or was filed above the walk after it began. */
  passed(t: Transaction): boolean {
    const boundary = this.position.boundary;
    if (!boundary) return false;
    const key = listingKey(t);
    return key > boundary.key || (key === boundary.key && boundary.ids.includes(rowHash(t.id)));
  }

  /** At an index bank: whether the page began after the boundary, so rows between might be unread. */
  missedAbove(page: TransactionPage): boolean {
    if (!this.position.boundary || !page.rows || page.rows.start === 0) return false;
    const head = page.items[0];
    return head === undefined ? page.rows.end <= page.rows.start : !this.passed(head);
  }

  /**
   * Whether `page`, read just past the walk's position, holds a row still to list: false only when
   * every row past the position is a replaced pending row and the bank has nothing after them.
   * Rows that moved at an index bank leave it undecided, which counts as true.
   */
  anyLeft(page: TransactionPage): boolean {
    if (page.rows && this.missedAbove(page)) return true;
    const rest = page.rows ? page.items.filter((t) => !this.passed(t)) : page.items.slice(this.resumeIndex(page.items));
    return page.nextCursor !== null || rest.some((t) => !this.replaced(t));
  }

  /** True for a pending row that a delivered posted row replaced (left out when reached). */
  replaced(t: Transaction): boolean {
    return t.status === TransactionStatus.PENDING && this.superseded.has(rowHash(t.id));
  }

  /** Index bank: moves past `t` (next read at `offset`); false when `t` is a replaced pending row not to list. */
  advanceIndexed(t: Transaction, offset: number): boolean {
    const key = listingKey(t);
    const boundary = this.position.boundary;
    const ids = boundary && boundary.key === key ? [...boundary.ids, rowHash(t.id)] : [rowHash(t.id)];
    const listed = this.remember(t);
    this.position = { ...this.position, upstream: null, offset, skip: 0, boundary: { key, ids }, superseded: this.carried(), pendingFloor: this.pendingFloor };
    return listed;
  }

  /** Keyset bank: index of the first row of this bank page not yet delivered (found again by ID when it can be). */
  resumeIndex(rows: readonly Transaction[]): number {
    const { skip, boundary } = this.position;
    if (!boundary) return skip;
    const last = rows.findLastIndex((t) => boundary.ids.includes(rowHash(t.id)));
    return last >= 0 ? last + 1 : Math.min(skip, rows.length);
  }

  /** Keyset bank: moves past `t` to `next`; false when `t` is a replaced pending row not to list. */
  advanceKeyset(t: Transaction, next: { upstream: string | null; skip: number }): boolean {
    const listed = this.remember(t);
    const boundary = next.skip === 0 ? null : { key: 0, ids: [rowHash(t.id)] };
    this.position = {
      ...this.position,
      upstream: next.upstream,
      offset: null,
      skip: next.skip,
      boundary,
      superseded: this.carried(),
      pendingFloor: this.pendingFloor,
    };
    return listed;
  }

  /** Updates the dedupe state for a row being passed; false for a pending row a delivered posted row replaced. */
  private remember(t: Transaction): boolean {
    const day = dayNumber(t.date);
    for (const [id, postedDay] of this.superseded) if (postedDay - day > CARRY_DAYS) this.superseded.delete(id);
    if (t.status === TransactionStatus.PENDING) {
      const id = rowHash(t.id);
      if (this.superseded.delete(id)) return false;
      this.listed(t, id);
      return true;
    }
    if (t.pendingTransactionId) {
      this.superseded.set(rowHash(t.pendingTransactionId), day);
      // Over the cap, the entry posted longest ago goes: the nearest to expiring anyway.
      while (this.superseded.size > MAX_SUPERSEDED) {
        const oldest = [...this.superseded].reduce((a, b) => (b[1] < a[1] ? b : a));
        this.superseded.delete(oldest[0]);
      }
    }
    return true;
  }

  private carried(): TransactionCursor["superseded"] {
    return [...this.superseded];
  }

  /** A pending row delivered: the floor late postings are judged by moves down to it. */
  private listed(t: Transaction, id: RowHash): void {
    const key = authorizationKey(t);
    if (!this.watchTop || key === undefined) return;
    this.listedPending.add(id);
    this.pendingFloor = lowerFloor(this.pendingFloor, key, id, MAX_FLOOR_IDS);
  }
}

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}
