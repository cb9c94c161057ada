/**
 * An account's running totals, kept as transactions arrive and post, so a balance costs
 * O(log n) instead of a pass (and a sort) over the whole history on every call.
 */
import type { MockTransaction } from "./types.js";

export class Ledger {
  /** Deposit accounts open with just enough money that their running balance never went below a small cushion. */
  readonly openingMinor: number;
  private postedMinor = 0;
  private pendingMinor = 0;
  /** Posted amounts in posting order, with prefix sums; rebuilt lazily after an out-of-order posting. */
  private postedTimes: number[] = [];
  private prefix: number[] = [0];
  private sorted = true;
  private postedList: Array<{ time: number; amount: number }> = [];

  constructor(transactions: readonly MockTransaction[], cushionMinor: number) {
    for (const t of transactions) this.add(t);
    this.rebuild();
    // The running balance after each posting is a prefix sum; its lowest point sets the opening.
    let lowest = 0;
    for (let i = 1; i < this.prefix.length; i++) lowest = Math.min(lowest, this.prefix[i]!);
    this.openingMinor = cushionMinor - lowest;
  }

  /** Sum of posted amounts, and of pending ones. */
  totals(): { postedMinor: number; pendingMinor: number } {
    return { postedMinor: this.postedMinor, pendingMinor: this.pendingMinor };
  }

  /** Sum of the amounts posted at or after `since` (epoch ms). */
  postedSince(since: number): number {
    if (!this.sorted) this.rebuild();
    let low = 0;
    let high = this.postedTimes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.postedTimes[mid]! < since) low = mid + 1;
      else high = mid;
    }
    return this.prefix[this.prefix.length - 1]! - this.prefix[low]!;
  }

  /** A new transaction (pending or already posted). */
  add(t: MockTransaction): void {
    if (t.postedAt) this.addPosted(t);
    else this.pendingMinor += t.amountMinor;
  }

  /** A pending transaction was released without posting (a payment that failed): its hold is gone. */
  released(t: MockTransaction): void {
    this.pendingMinor -= t.amountMinor;
  }

  /** A pending transaction has just posted. */
  posted(t: MockTransaction): void {
    this.pendingMinor -= t.amountMinor;
    this.addPosted(t);
  }

  private addPosted(t: MockTransaction): void {
    const time = t.postedAt!.getTime();
    this.postedMinor += t.amountMinor;
    const last = this.postedList[this.postedList.length - 1];
    this.postedList.push({ time, amount: t.amountMinor });
    if (!this.sorted) return;
    if (!last || time >= last.time) {
      this.postedTimes.push(time);
      this.prefix.push(this.prefix[this.prefix.length - 1]! + t.amountMinor);
    } else {
      this.sorted = false;
    }
  }

  private rebuild(): void {
    this.postedList.sort((a, b) => a.time - b.time);
    this.postedTimes = this.postedList.map((p) => p.time);
    this.prefix = [0];
    for (const p of this.postedList) this.prefix.push(this.prefix[this.prefix.length - 1]! + p.amount);
    this.sorted = true;
  }
}
