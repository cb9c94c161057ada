/**
 * A person's links and an app's consents on them, kept in process between requests, so a request
 * needs no store statement to start. Safe because they are used only while the person's grant
 * version is the one they were read under:
 * - in this process, the version changes after every committed write to the person's links or
 *   consents (src/store/grant-writes.ts watches the database handle itself, so no write path can
 *   forget to say so);
 * - across instances (`shared`, Redis: src/cache/grant-versions.ts), every instance moves the
 *   person's shared version before its write's caller goes on, and each read here asks for it
 *   (one Redis round trip). When it cannot be had, the store is read.
 * The version is taken BEFORE the store read, so a write that commits during the read leaves the
 * entry behind at once. What is kept is the stored rows, never a decision: statuses, expiry and
 * the history window are judged against the clock on every request (ConsentService).
 */
import { BoundedMap } from "../bounded-map.js";
import type { LinksWithConsents } from "../store/link-consent-repository.js";
import type { SharedGrantVersions } from "../cache/grant-versions.js";

/** The longest an entry is used, even unchanged: well under the shared versions' key lifetime (a day). */
export const GRANTS_KEPT_MAX_AGE_MS = 10 * 60_000;

/** Options for {@link GrantsCache}. */
export interface GrantsCacheOptions {
  /** The store read this saves (LinkConsentRepository.listForUser). */
  read: (userId: string, clientId: string) => Promise<LinksWithConsents>;
  /** The person's version in this process (GrantWatchedDatabase.grantVersion). */
  localVersion: (userId: string) => string;
  /** Versions every instance shares; required whenever another instance may write to the same store. */
  shared?: SharedGrantVersions;
  /** Told when the shared version cannot be read (the store is read instead). */
  onSharedError?: (error: unknown) => void;
  /** Most (person, app) pairs kept; the least recently used go first. Default 10000. */
  maxEntries?: number;
}

interface Entry {
  version: string;
  keptAt: number;
  value: LinksWithConsents;
}

/** Monotonic milliseconds: entry ages do not follow the domain clock (tests move it by days). */
const monotonicMs = () => performance.now();

export class GrantsCache {
  private readonly entries: BoundedMap<string, Entry>;

  constructor(private readonly options: GrantsCacheOptions) {
    this.entries = new BoundedMap(options.maxEntries ?? 10_000);
  }

  /** The person's live links and the app's consents on them, as the store has them now. */
  async read(userId: string, clientId: string): Promise<LinksWithConsents> {
    const version = await this.versionOf(userId);
    const key = `${userId}\u0000${clientId}`;
    const kept = this.entries.get(key);
    if (version !== undefined && kept?.version === version && monotonicMs() - kept.keptAt < GRANTS_KEPT_MAX_AGE_MS) {
      // Least recently used first out: set again, it goes last.
      this.entries.set(key, kept);
      return copyOf(kept.value);
    }
    const value = await this.options.read(userId, clientId);
    if (version === undefined) {
      this.entries.delete(key);
      return value;
    }
    this.entries.set(key, { version, keptAt: monotonicMs(), value: copyOf(value) });
    return value;
  }

  /** How many (person, app) pairs are kept. */
  get size(): number {
    return this.entries.size;
  }

  private async versionOf(userId: string): Promise<string | undefined> {
    const local = this.options.localVersion(userId);
    if (!this.options.shared) return local;
    try {
      return `${local}|${await this.options.shared.current(userId)}`;
    } catch (error) {
      this.options.onSharedError?.(error);
      return undefined;
    }
  }
}

/** A request's own copy: the links are updated in place during a request (a refreshed token, LOGIN_REQUIRED). */
function copyOf(value: LinksWithConsents): LinksWithConsents {
  return { links: value.links.map((link) => ({ ...link })), consents: value.consents.map((consent) => ({ ...consent })) };
}
