/**
 * The upstream cache: what a bank answered, kept per link for a short TTL, and identical bank
 * calls in flight at the same time shared by every request that asks (single flight).
 *
 * Safety rules, each kept by construction:
 * - Keys start with the link ID, and a link belongs to one user: nothing is shared across links
 *   or users. (Two apps of the same user share a link's entries; consent is checked per field
 *   before any loader runs, so a cache hit never reaches a field the app may not read.)
 * - `purgeLink` forgets a link's entries and detaches its calls in flight, so an answer that
 *   arrives after an unlink or a revocation is not stored.
 * - Failures are never stored; requests that joined a failing call get its error.
 *
 * The cache is instance-local derived data: with N gateway instances each has its own. With
 * `versions` (Redis, src/cache/link-versions.ts), every entry remembers its link's version from
 * before its bank call, and is served only while that is still the link's version: a bank event,
 * unlink or revocation on any instance bumps it, so no instance serves the stale entry afterwards.
 */
import { BoundedMap } from "../bounded-map.js";
import type { Clock } from "../clock.js";
import type { LinkVersions } from "./link-versions.js";

/** How one lookup was served. */
export type CacheLookup = "hit" | "miss" | "coalesced";

/** Options for {@link UpstreamCache}. */
export interface UpstreamCacheOptions {
  /** How long (ms) an answer is served from the cache. 0 turns storing off; single flight stays. Default 30000. */
  ttlMs: number;
  /** Most entries kept; the oldest are dropped first. Default 10000. */
  maxEntries?: number;
  /** Where "now" comes from (age and TTL). */
  clock: Clock;
  /** Told how every lookup was served (metrics). */
  onLookup?: (kind: string, lookup: CacheLookup) => void;
  /** Link versions shared by every instance (Redis); without them, purges are instance-local. */
  versions?: LinkVersions;
  /** Told when the versions cannot be read (the entry is then not served). */
  onVersionsError?: (error: unknown) => void;
}

/** One read: which link, which kind of resource, which arguments. */
export interface CacheSlot {
  linkId: string;
  kind: string;
  /** The call's arguments, serialized; identical calls have identical keys. */
  key: string;
}

/** Per-read freshness. */
export interface ReadOptions {
  /** Oldest cached answer accepted (ms); capped by the TTL. 0 = a fresh bank call. Default: the TTL. */
  maxAgeMs?: number;
  /** false: coalesce concurrent identical calls but keep nothing afterwards. Default true. */
  store?: boolean;
}

interface Entry {
  value: unknown;
  storedAt: number;
  /** The link's version before the call that produced it. */
  version: number;
}

interface Flight {
  promise: Promise<unknown>;
  version: number;
}

const SEPARATOR = "\u0000";

export class UpstreamCache {
  private readonly entries: BoundedMap<string, Entry>;
  /** Calls in flight, by key: as many as the instance's concurrent bank calls, so a purge looks through them all. */
  private readonly flights = new Map<string, Flight>();
  /** Link ID → its keys in `entries`, so a purge touches only that link's stored answers. */
  private readonly keysByLink = new Map<string, Set<string>>();
  private readonly ttlMs: number;

  constructor(private readonly options: UpstreamCacheOptions) {
    this.ttlMs = Math.max(0, options.ttlMs);
    // Over the bound, the entry stored longest ago goes, and its link forgets it.
    this.entries = new BoundedMap(options.maxEntries ?? 10_000, (id) => this.unindexIfGone(linkOf(id), id));
  }

  /** The answer for one slot: from the cache when fresh enough, else from a call in flight, else from `load`. */
  read<T>(slot: CacheSlot, load: () => Promise<T>, options: ReadOptions = {}): Promise<T> {
    return this.versioned ? this.version(slot.linkId).then((version) => this.readAt(slot, load, options, version)) : this.readAt(slot, load, options, 0);
  }

  /** {@link read} once the link's version is known. */
  private readAt<T>(slot: CacheSlot, load: () => Promise<T>, options: ReadOptions, version: number): Promise<T> {
    const id = keyOf(slot.linkId, slot.kind, slot.key);
    const store = options.store ?? true;
    if (store) {
      const entry = this.fresh(id, options.maxAgeMs, version);
      if (entry) {
        this.options.onLookup?.(slot.kind, "hit");
        return Promise.resolve(entry.value as T);
      }
    }
    const flight = this.flights.get(id);
    if (flight && flight.version === version) {
      this.options.onLookup?.(slot.kind, "coalesced");
      return flight.promise as Promise<T>;
    }
    this.options.onLookup?.(slot.kind, "miss");
    return this.fly(slot.linkId, id, load(), store, version);
  }

  /**
   * Per-item reads that the bank answers in one batch call (balances of several accounts): items
   * that are fresh or in flight are not asked again; the rest go to `load` together. Returns every
   * requested key; `load` leaves out the keys the bank does not know, and those map to null.
   */
  async readMany<T>(
    linkId: string,
    kind: string,
    keys: readonly string[],
    load: (missing: string[]) => Promise<ReadonlyMap<string, T>>,
    options: ReadOptions = {},
  ): Promise<Map<string, T | null>> {
    const result = new Map<string, T | null>();
    const pending: Array<Promise<unknown>> = [];
    const missing: string[] = [];
    const version = this.versioned ? await this.version(linkId) : 0;
    for (const key of new Set(keys)) {
      const id = keyOf(linkId, kind, key);
      const entry = this.fresh(id, options.maxAgeMs, version);
      const candidate = entry ? undefined : this.flights.get(id);
      const flight = candidate?.version === version ? candidate : undefined;
      this.options.onLookup?.(kind, entry ? "hit" : flight ? "coalesced" : "miss");
      if (entry) result.set(key, entry.value as T | null);
      else if (flight) pending.push(flight.promise.then((value) => result.set(key, value as T | null)));
      else missing.push(key);
    }
    if (missing.length > 0) {
      const batch = load(missing);
      for (const key of missing) {
        const one = this.fly(
          linkId,
          keyOf(linkId, kind, key),
          batch.then((found) => found.get(key) ?? null),
          options.store ?? true,
          version,
        );
        pending.push(one.then((value) => result.set(key, value)));
      }
    }
    await Promise.all(pending);
    return result;
  }

  /**
   * Forgets everything about the link on this instance (entries, and calls in flight: their answers
   * will not be stored) and, with shared versions, on every other instance too.
   */
  async invalidateLink(linkId: string): Promise<void> {
    this.purgeLink(linkId);
    await this.options.versions?.bump(linkId);
  }

  /** Forgets everything about the link on this instance: entries, and calls in flight (their answers will not be stored). */
  purgeLink(linkId: string): void {
    for (const id of this.keysByLink.get(linkId) ?? []) this.entries.delete(id);
    this.keysByLink.delete(linkId);
    for (const id of this.flights.keys()) if (linkOf(id) === linkId) this.flights.delete(id);
  }

  /** Whether answers are kept after their call (a TTL): without, an answer is only shared by the calls in flight with it. */
  get keepsAnswers(): boolean {
    return this.ttlMs > 0;
  }

  /** Entries currently kept (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Whether entries and calls carry the link's shared version: with shared versions and storing on.
   * Otherwise every version is 0, known without a wait (a cold read makes no detour through the
   * event loop for it).
   */
  private get versioned(): boolean {
    return this.options.versions !== undefined && this.ttlMs > 0;
  }

  /** The link's shared version (only while {@link versioned}); NaN (matches nothing) when it cannot be read. */
  private async version(linkId: string): Promise<number> {
    try {
      return await this.options.versions!.current(linkId);
    } catch (error) {
      this.options.onVersionsError?.(error);
      return Number.NaN;
    }
  }

  private fresh(id: string, maxAgeMs: number | undefined, version: number): Entry | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const age = this.options.clock.now().getTime() - entry.storedAt;
    if (age >= this.ttlMs || age < 0 || entry.version !== version) {
      this.entries.delete(id);
      this.unindexIfGone(linkOf(id), id);
      return undefined;
    }
    return age < Math.min(maxAgeMs ?? this.ttlMs, this.ttlMs) ? entry : undefined;
  }

  private fly<T>(linkId: string, id: string, call: Promise<T>, store: boolean, version: number): Promise<T> {
    const flight: Flight = { promise: call, version };
    this.flights.set(id, flight);
    const landed = () => this.flights.get(id) === flight;
    call.then(
      (value) => {
        // Not ours any more: purged (unlink, revocation) or replaced; the answer is not kept.
        if (!landed()) return;
        this.flights.delete(id);
        if (store && this.ttlMs > 0 && !Number.isNaN(version)) this.remember(linkId, id, value, version);
      },
      () => {
        if (landed()) this.flights.delete(id);
      },
    );
    return call;
  }

  private remember(linkId: string, id: string, value: unknown, version: number): void {
    this.entries.set(id, { value, storedAt: this.options.clock.now().getTime(), version });
    this.index(linkId, id);
  }

  private index(linkId: string, id: string): void {
    let keys = this.keysByLink.get(linkId);
    if (!keys) this.keysByLink.set(linkId, (keys = new Set()));
    keys.add(id);
  }

  private unindexIfGone(linkId: string, id: string): void {
    if (this.entries.has(id)) return;
    const keys = this.keysByLink.get(linkId);
    keys?.delete(id);
    if (keys?.size === 0) this.keysByLink.delete(linkId);
  }
}

function keyOf(linkId: string, kind: string, key: string): string {
  return linkId + SEPARATOR + kind + SEPARATOR + key;
}

function linkOf(id: string): string {
  return id.slice(0, id.indexOf(SEPARATOR));
}
