/**
 * Group commit: callers that hand in items while a write is under way are written together in the
 * next one, so N concurrent callers cost one statement instead of N, and nobody waits longer than
 * one write in front of their own. A caller alone is written at once.
 *
 * Each caller's promise settles with the fate of its own items: when a shared write fails, the
 * batch is written again caller by caller, so one caller's bad items never fail another's.
 *
 * `gather` (optional) is waited out before a write that nobody is queued behind: callers that
 * arrive meanwhile join it. On an in-process store (PGlite) a write never yields to other
 * requests while it runs, so without a gathering turn every caller writes alone.
 */
interface Waiter<T> {
  items: readonly T[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<T> {
  private waiting: Waiter<T>[] = [];
  private writing = false;

  /** `write` must be atomic: all of its items are committed, or none. */
  constructor(
    private readonly write: (items: readonly T[]) => Promise<void>,
    private readonly gather?: () => Promise<void>,
  ) {}

  /** Resolves once `items` are committed; rejects with the write's error if they could not be. */
  add(items: readonly T[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ items, resolve, reject });
      if (!this.writing) void this.writeWaiting();
    });
  }

  private async writeWaiting(): Promise<void> {
    this.writing = true;
    try {
      if (this.gather) await this.gather();
      while (this.waiting.length > 0) {
        const batch = this.waiting;
        this.waiting = [];
        await this.writeBatch(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeBatch(batch: readonly Waiter<T>[]): Promise<void> {
    if (batch.length === 1) return this.writeOne(batch[0]!);
    try {
      await this.write(batch.flatMap((w) => w.items));
      for (const waiter of batch) waiter.resolve();
    } catch {
      await Promise.all(batch.map((waiter) => this.writeOne(waiter)));
    }
  }

  private async writeOne(waiter: Waiter<T>): Promise<void> {
    try {
      await this.write(waiter.items);
      waiter.resolve();
    } catch (error) {
      waiter.reject(error);
    }
  }
}
