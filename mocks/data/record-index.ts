/**
 * One account's rows as a bank lists them, built once and kept sorted newest first (filing date
 * descending, then ID descending), so that a page of any bank's native paging costs O(log n + page):
 * a date range is two binary searches, an offset is an index, a keyset position is one more
 * binary search. Changes (a new pending purchase, a posting) are inserted in place.
 */
import type { MockTransaction, MockTransactionRecord } from "./types.js";

/** A position in the listing order: rows sort by `time` descending, then `id` descending. */
export interface RowKey {
  time: number;
  id: string;
}

/** Half-open index range [start, end) into the sorted rows. */
export interface RowSpan {
  start: number;
  end: number;
}

/** True when row `a` is listed before the key `b` (newer, or as new with a greater ID). */
function listedBefore(a: MockTransactionRecord, b: RowKey): boolean {
  const time = a.date.getTime();
  return time > b.time || (time === b.time && a.id > b.id);
}

/** What every row of one purchase has in common, whichever row a bank lists. */
function purchaseFieldsOf(t: MockTransaction) {
  return {
    accountId: t.accountId,
    amountMinor: t.amountMinor,
    description: t.description,
    merchant: t.merchant,
    category: t.category,
    authorizedAt: t.authorizedAt,
  };
}

/** The row a bank lists for a transaction as it stands: its pending authorization while pending, the posting once posted. */
export function currentRecordOf(t: MockTransaction): MockTransactionRecord {
  const base = { ...purchaseFieldsOf(t), receiptId: t.receiptId };
  return t.postedAt
    ? { ...base, id: t.id, status: "posted", date: t.postedAt, postedAt: t.postedAt, pendingId: t.pendingId }
    : { ...base, id: t.pendingId ?? t.id, status: "pending", date: t.authorizedAt, postedAt: null, pendingId: null };
}

/** The pending authorization a posted purchase went through, as banks that keep it list it. */
export function supersededRecordOf(t: MockTransaction): MockTransactionRecord | undefined {
  if (!t.postedAt || !t.pendingId) return undefined;
  return { ...purchaseFieldsOf(t), id: t.pendingId, status: "pending", date: t.authorizedAt, postedAt: null, pendingId: null, receiptId: null };
}

export class RecordIndex {
  private readonly rows: MockTransactionRecord[];

  /** Builds the listing of these transactions; with `keepsSuperseded`, a posted purchase's pending row stays listed. */
  constructor(
    transactions: readonly MockTransaction[],
    readonly keepsSuperseded: boolean,
  ) {
    const rows: MockTransactionRecord[] = [];
    for (const t of transactions) {
      rows.push(currentRecordOf(t));
      const superseded = keepsSuperseded ? supersededRecordOf(t) : undefined;
      if (superseded) rows.push(superseded);
    }
    // Keys are computed once: the comparator runs n log n times.
    const keyed = rows.map((row) => ({ row, time: row.date.getTime() }));
    keyed.sort((a, b) => b.time - a.time || (a.row.id < b.row.id ? 1 : a.row.id > b.row.id ? -1 : 0));
    this.rows = keyed.map((k) => k.row);
  }

  get size(): number {
    return this.rows.length;
  }

  /** The rows filed within [from, to] (inclusive; open ends when absent). */
  span(from?: Date, to?: Date): RowSpan {
    const start = to ? this.firstAfter({ time: to.getTime(), id: "\uffff" }, 0, this.rows.length) : 0;
    const end = from ? this.firstAfter({ time: from.getTime() - 1, id: "\uffff" }, start, this.rows.length) : this.rows.length;
    return { start, end: Math.max(start, end) };
  }

  /** Index of the first row in [start, end) listed after `key` (end when none): where a keyset page resumes. */
  firstAfter(key: RowKey, start: number, end: number): number {
    let low = start;
    let high = end;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (listedBefore(this.rows[mid]!, key) || (this.rows[mid]!.date.getTime() === key.time && this.rows[mid]!.id === key.id)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Rows [start, end), clamped to the listing. */
  slice(start: number, end: number): MockTransactionRecord[] {
    return this.rows.slice(Math.max(0, start), Math.max(0, end));
  }

  /** Every row, newest first (a copy). */
  all(): MockTransactionRecord[] {
    return this.rows.slice();
  }

  /** Lists a row in its place. */
  insert(row: MockTransactionRecord): void {
    const at = this.firstAfter({ time: row.date.getTime(), id: row.id }, 0, this.rows.length);
    this.rows.splice(at, 0, row);
  }

  /** Unlists the row with this key, if listed. */
  remove(key: RowKey): void {
    const at = this.firstAfter(key, 0, this.rows.length) - 1;
    const row = this.rows[at];
    if (row && row.id === key.id && row.date.getTime() === key.time) this.rows.splice(at, 1);
  }

  /** A transaction that was pending has posted: its pending row goes (or, where kept, loses its receipt) and its posting is listed. */
  posted(t: MockTransaction): void {
    if (!t.postedAt) return;
    const pendingKey = { time: t.authorizedAt.getTime(), id: t.pendingId ?? t.id };
    this.remove(pendingKey);
    const superseded = this.keepsSuperseded ? supersededRecordOf(t) : undefined;
    if (superseded) this.insert(superseded);
    this.insert(currentRecordOf(t));
  }
}
