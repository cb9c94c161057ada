/**
 * Where fixed-window request counts live: in this process, or in Redis so N gateway instances
 * count together. A store only counts; the limiter decides.
 */

/** Counts hits per key; a key names one subject in one window and is forgotten after `ttlMs`. */
export interface WindowCounterStore {
  /** Adds one hit to each key, atomically per key, and returns the new counts in key order. */
  hit(keys: readonly string[], ttlMs: number): Promise<number[]>;
  close(): Promise<void>;
}

/** Counts in this process: right for one instance, and the default. */
export class InProcessCounterStore implements WindowCounterStore {
  private readonly counts = new Map<string, { count: number; expiresAt: number }>();
  private hitsSinceSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async hit(keys: readonly string[], ttlMs: number): Promise<number[]> {
    const now = this.now();
    this.sweep(now);
    return keys.map((key) => {
      const entry = this.counts.get(key);
      if (entry && entry.expiresAt > now) return ++entry.count;
      this.counts.set(key, { count: 1, expiresAt: now + ttlMs });
      return 1;
    });
  }

  async close(): Promise<void> {
    this.counts.clear();
  }

  /** Drops finished windows now and then, so idle users cost no memory. */
  private sweep(now: number): void {
    if (++this.hitsSinceSweep < 1000) return;
    this.hitsSinceSweep = 0;
    for (const [key, entry] of this.counts) if (entry.expiresAt <= now) this.counts.delete(key);
  }
}
