/**
 * Who may read what lives in two tables: `links` and `consents`. A request's starting point (a
 * person's links and an app's consents on them) can be kept in process only if every committed
 * write to either table is known at once. So the watch sits at the one place every write passes —
 * the database handle — not in the services that happen to write today: a new write path cannot
 * forget to tell it.
 *
 * The watched handle reports, after each commit (or each statement outside a transaction), the
 * people whose rows it wrote: the `user_id` of the rows a statement RETURNs. A write whose rows do
 * not say whose they are (no RETURNING, a script) reports "everyone". Each person has a version
 * here that changes with every such report; readers compare it before trusting what they kept.
 * The report is awaited before the write's promise settles, so whoever waits for a revocation
 * knows that every later read sees it (src/consent/grants-cache.ts, and across instances
 * src/cache/grant-versions.ts).
 */
import type { Database, Queryable, QueryOptions } from "./database.js";

/** What one committed write changed: these people's grants, or possibly anyone's. */
export interface GrantChange {
  userIds: ReadonlySet<string>;
  everyone: boolean;
}

/** Told after a commit that changed grants; awaited before the write settles for its caller. */
export type GrantChangeListener = (change: GrantChange) => Promise<void> | void;

/** A database handle whose writes to links and consents are watched. */
export interface GrantWatchedDatabase extends Database {
  /**
   * The person's grants version in this process: it changes after every committed write to their
   * links or consents made through any watched handle of the same store. Cheap (no I/O).
   */
  grantVersion(userId: string): string;
  /** Adds a listener (say, to tell other instances); returns its removal. */
  onGrantChange(listener: GrantChangeListener): () => void;
}

/**
 * A statement that writes rows of `links` or `consents` (optionally schema-qualified or quoted),
 * anywhere in it: CTEs included. `SELECT … FOR UPDATE` and `ON CONFLICT DO UPDATE SET` are not writes to them.
 */
const GRANT_WRITE = /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+(?:ONLY\s+)?(?:"?\w+"?\.)?"?(?:links|consents)"?(?![\w"])/i;
const RETURNING = /\bRETURNING\b/i;

/** Exported for its unit test: what a statement and its rows say was changed, or undefined for nothing. */
export function grantChangeOf(sql: string, rows: readonly unknown[] | undefined): GrantChange | undefined {
  if (!GRANT_WRITE.test(sql)) return undefined;
  if (rows === undefined || !RETURNING.test(sql)) return { userIds: new Set(), everyone: true };
  const userIds = new Set<string>();
  for (const row of rows) {
    const userId = (row as { user_id?: unknown } | null)?.user_id;
    if (typeof userId !== "string") return { userIds: new Set(), everyone: true };
    userIds.add(userId);
  }
  return userIds.size === 0 ? undefined : { userIds, everyone: false };
}

/** Gathers the changes of one transaction (or one statement). */
class PendingChange {
  readonly userIds = new Set<string>();
  everyone = false;

  add(change: GrantChange | undefined): void {
    if (!change) return;
    if (change.everyone) this.everyone = true;
    for (const id of change.userIds) this.userIds.add(id);
  }

  get empty(): boolean {
    return !this.everyone && this.userIds.size === 0;
  }
}

/** People whose counts are remembered; past this, all start again (and everyone's version moves). */
const MAX_PEOPLE = 100_000;

/** One store's versions and listeners, shared by every watched handle of that store. */
class GrantWatch {
  private everyone = 0;
  private readonly people = new Map<string, number>();
  readonly listeners = new Set<GrantChangeListener>();

  version(userId: string): string {
    return `${this.everyone}.${this.people.get(userId) ?? 0}`;
  }

  async committed(change: PendingChange): Promise<void> {
    if (change.empty) return;
    // Versions first, synchronously: no read in this process that starts after this can miss it.
    if (change.everyone) this.everyone += 1;
    for (const id of change.userIds) this.people.set(id, (this.people.get(id) ?? 0) + 1);
    if (this.people.size > MAX_PEOPLE) {
      // Bounded memory: forgetting every person's count is safe only together with moving everyone's.
      this.people.clear();
      this.everyone += 1;
    }
    const told: GrantChange = { userIds: change.userIds, everyone: change.everyone };
    // Listeners report their own failures; one failing never fails the write that has committed.
    await Promise.allSettled([...this.listeners].map(async (listener) => listener(told)));
  }
}

const ROOT = Symbol("grant-watched store");
type Watched = GrantWatchedDatabase & { [ROOT]: Database };
const watches = new WeakMap<Database, GrantWatch>();

function watchedQueryable(target: Queryable, pending: PendingChange): Queryable {
  return {
    async query<R>(sql: string, params?: unknown[], options?: QueryOptions) {
      const rows = await target.query<R>(sql, params, options);
      pending.add(grantChangeOf(sql, rows));
      return rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
      pending.add(grantChangeOf(sql, undefined));
    },
  };
}

/**
 * `db` with its writes to links and consents watched. Watching the same store twice gives handles
 * that share one set of versions, so two gateways on one embedded store (tests) see each other's writes.
 */
export function watchGrantWrites(db: Database): GrantWatchedDatabase {
  const root = (db as Partial<Watched>)[ROOT] ?? db;
  let watch = watches.get(root);
  if (!watch) {
    watch = new GrantWatch();
    watches.set(root, watch);
  }
  const shared = watch;
  /** A statement outside a transaction has committed when it resolves (or failed, and a report too many is harmless). */
  const reportAlone = async (change: GrantChange | undefined) => {
    if (!change) return;
    const pending = new PendingChange();
    pending.add(change);
    await shared.committed(pending);
  };
  const handle: Watched = {
    [ROOT]: root,
    kind: root.kind,
    async query<R>(sql: string, params?: unknown[], options?: QueryOptions) {
      const rows = await root.query<R>(sql, params, options);
      await reportAlone(grantChangeOf(sql, rows));
      return rows;
    },
    async exec(sql: string) {
      await root.exec(sql);
      await reportAlone(grantChangeOf(sql, undefined));
    },
    async transaction(fn) {
      const pending = new PendingChange();
      try {
        return await root.transaction((tx) => fn(watchedQueryable(tx, pending)));
      } finally {
        // After COMMIT (or ROLLBACK, where the report costs a reload and nothing else).
        await shared.committed(pending);
      }
    },
    close: () => root.close(),
    grantVersion: (userId) => shared.version(userId),
    onGrantChange(listener) {
      shared.listeners.add(listener);
      return () => void shared.listeners.delete(listener);
    },
  };
  return handle;
}
