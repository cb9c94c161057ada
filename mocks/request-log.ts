/**
 * The requests a mock bank received since the last reset, for tests that must prove *how* the
 * gateway called (e.g. banks in parallel) without timing the query. Kept in columns (a method, a
 * path and a kind per request, two times in a Float64Array) rather than as one object per request:
 * every entry outlives young-generation collection, and an object with its two boxed times and its
 * own copy of the URL's path left ~0.3 KB a call in the old generation of the ~1 GB bench mock heap
 * (to be reclaimed only by a full collection of that heap); a column entry is ~40 bytes, paths
 * being shared. At most {@link MAX_ENTRIES} entries: past it, the older half is forgotten.
 */
import type { CallKind } from "./bank.js";

/**
 * One HTTP request as the bank saw it. Times are `performance.now()` in ms.
 */
export interface MockBankRequest {
  method: string;
  path: string;
  /** The resource kind its route counts under; null for requests that reached no route. */
  kind: CallKind | null;
  /** When the request arrived (before any injected latency). */
  startedAt: number;
  /** When the response was finished or the connection closed; null while still open. */
  endedAt: number | null;
}

/** Entries kept at most (~40 MB); a test or a bench resets the log long before. */
const MAX_ENTRIES = 1_000_000;
/** Distinct paths whose one copy every entry of that path shares; past it, an entry keeps its own. */
const MAX_SHARED_PATHS = 10_000;

export class RequestLog {
  private methods: string[] = [];
  private paths: string[] = [];
  private kinds: Array<CallKind | null> = [];
  /** Entry i's arrival at 2i and end at 2i + 1 (NaN while open). */
  private times = new Float64Array(2 * 1024);
  private readonly sharedPaths = new Map<string, string>();
  /** Number (handle) of the first entry held: handles count every request ever logged, so one from before a reset is recognised. */
  private first = 0;

  /** Logs a request's arrival; the handle it answers is what `routed` and `ended` take. */
  arrived(method: string, path: string, at: number): number {
    if (this.methods.length >= MAX_ENTRIES) this.forgetOlderHalf();
    const index = this.methods.length;
    if (this.times.length < 2 * (index + 1)) {
      const grown = new Float64Array(this.times.length * 2);
      grown.set(this.times);
      this.times = grown;
    }
    let shared = this.sharedPaths.get(path);
    if (shared === undefined) {
      shared = path;
      if (this.sharedPaths.size < MAX_SHARED_PATHS) this.sharedPaths.set(path, path);
    }
    this.methods.push(method);
    this.paths.push(shared);
    this.kinds.push(null);
    this.times[2 * index] = at;
    this.times[2 * index + 1] = NaN;
    return this.first + index;
  }

  /** The request reached a route counted under `kind`. */
  routed(handle: number, kind: CallKind): void {
    const index = handle - this.first;
    if (index >= 0 && index < this.kinds.length) this.kinds[index] = kind;
  }

  /** The request's response finished or its connection closed. */
  ended(handle: number, at: number): void {
    const index = handle - this.first;
    if (index >= 0 && index < this.methods.length) this.times[2 * index + 1] = at;
  }

  /** The entries, oldest first (fresh objects). */
  entries(): MockBankRequest[] {
    return this.methods.map((method, i) => {
      const endedAt = this.times[2 * i + 1]!;
      return { method, path: this.paths[i]!, kind: this.kinds[i]!, startedAt: this.times[2 * i]!, endedAt: Number.isNaN(endedAt) ? null : endedAt };
    });
  }

  /** Forgets every entry; requests still open then are not logged again when they end. */
  clear(): void {
    this.first += this.methods.length;
    this.methods = [];
    this.paths = [];
    this.kinds = [];
    this.times = new Float64Array(2 * 1024);
  }

  private forgetOlderHalf(): void {
    const dropped = Math.floor(this.methods.length / 2);
    this.methods.splice(0, dropped);
    this.paths.splice(0, dropped);
    this.kinds.splice(0, dropped);
    this.times.copyWithin(0, 2 * dropped);
    this.first += dropped;
  }
}
