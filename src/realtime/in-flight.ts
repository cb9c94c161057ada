/**
 * Identical reads made at the same moment share one query: the first caller's promise is handed to
 * every caller with the same key until it settles, then forgotten. Nothing is cached past that, so
 * a read that starts after a change always sees it: only callers that were going to read at once
 * anyway share. Used where one event fans out to many subscribers of one person (the log read of
 * src/realtime/event-feed.ts), which otherwise costs one query per subscriber.
 */
export class InFlight {
  private readonly pending = new Map<string, Promise<unknown>>();

  /** `read()`'s answer, shared with every other caller of `key` while it is pending. */
  run<V>(key: string, read: () => Promise<V>): Promise<V> {
    const shared = this.pending.get(key) as Promise<V> | undefined;
    if (shared) return shared;
    const started = read().finally(() => this.pending.delete(key));
    this.pending.set(key, started);
    return started;
  }

  /** Reads pending now (tests, metrics). */
  get size(): number {
    return this.pending.size;
  }
}
