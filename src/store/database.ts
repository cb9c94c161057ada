/**
 * The one database contract the rest of the gateway sees. Two implementations: embedded PGlite
 * (one process, zero setup) and PostgreSQL through a `pg` pool (N gateway instances). Both speak
 * the same plain-Postgres SQL, so repositories are written once.
 *
 * Value conventions, identical on both backends (tests pin them):
 * - `timestamptz` → `Date`
 * - `int8`/`bigint` (identity ids, `count(*)`) → `number` when it is a safe integer, `bigint` beyond 2^53
 * - `text[]` → `string[]`, `jsonb` → parsed JSON, `uuid` → `string`
 */

/**
 * Something SQL can be sent to: the database itself or an open transaction. Its members are
 * function properties, not methods: implementations are closures, safe to pass on detached.
 */
export interface Queryable {
  /**
   * Runs ONE statement with `$1…$n` parameters and returns its rows (empty for statements
   * without RETURNING). Pass `jsonb` values as `JSON.stringify(value)` with a `::jsonb` cast:
   * the two drivers serialize plain objects and arrays differently.
   */
  query: <R = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions) => Promise<R[]>;
  /** Runs a script of one or more statements without parameters (migrations, DDL). */
  exec: (sql: string) => Promise<void>;
}

/** How a statement is run. */
export interface QueryOptions {
  /**
   * A statement run on every request (the access-log append): prepared once per connection under
   * this name and from then on only executed, so it is not parsed and planned each time. Every
   * parameter must carry a cast in the SQL (`$1::text[]`): the types are taken from the casts.
   */
  prepareAs?: string;
}

/** Which engine a {@link Database} runs on. */
export type DatabaseKind = "pglite" | "postgres";

/** An open database. Close it exactly once; queries after `close()` reject. */
export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /**
   * Runs `fn` in one transaction: COMMIT when it resolves, ROLLBACK when it throws (the error is
   * re-thrown). Inside `fn` use only `tx`: on PGlite the database is a single connection, so a query
   * sent to the outer `Database` while the transaction is open waits for it to end — a deadlock.
   */
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;
  close(): Promise<void>;
}
