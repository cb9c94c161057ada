/**
 * Embedded PostgreSQL (PGlite, WASM) for the single-process gateway and for tests.
 * One PGlite instance is one connection: never open the same data directory from two processes.
 */
import { mkdir } from "node:fs/promises";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Database, Queryable, QueryOptions } from "./database.js";
import { executeStatement, prepareStatement } from "./pglite-prepared.js";

/** Options for {@link openPglite}. */
export interface PgliteOptions {
  /**
   * Directory that holds the database files; created (recursively) if missing.
   * Default: none — the database lives in memory and is gone on `close()`.
   */
  dataDir?: string;
  /**
   * Start from this dump of a data directory (`PGlite.dumpDataDir()`) instead of an empty cluster:
   * skips initdb. The test suite uses it to open a clone of one migrated template per run.
   */
  loadDataDir?: Blob;
}

/** SQLSTATE 42P05: a prepared statement of that name exists. */
const DUPLICATE_PREPARED_STATEMENT = "42P05";
/** SQLSTATE 26000: no prepared statement of that name. */
const UNKNOWN_PREPARED_STATEMENT = "26000";

/**
 * `prepared`: the statements prepared on this database's one session, by name (PGlite is one
 * connection; a prepared statement belongs to the session, not to a transaction).
 */
function queryable(target: PGlite | Transaction, prepared: Map<string, string>): Queryable {
  return {
    async query<R>(sql: string, params?: unknown[], options?: QueryOptions) {
      const name = options?.prepareAs;
      if (!name) return (await target.query<R>(sql, params)).rows;
      const known = prepared.get(name);
      if (known !== undefined && known !== sql) throw new Error(`prepared statement "${name}" already names another statement`);
      if (known === undefined) {
        await target.exec(prepareStatement(name, sql)).catch((error: unknown) => {
          // Prepared by a transaction that then failed: PREPARE outlives it (it is not transactional).
          if ((error as { code?: string }).code !== DUPLICATE_PREPARED_STATEMENT) throw error;
        });
        prepared.set(name, sql);
      }
      const execute = executeStatement(name, params ?? []);
      const results = await target.exec(execute).catch(async (error: unknown) => {
        if ((error as { code?: string }).code !== UNKNOWN_PREPARED_STATEMENT) throw error;
        // Gone from the session after all: prepare it again, once.
        await target.exec(prepareStatement(name, sql));
        return target.exec(execute);
      });
      return (results.at(-1)?.rows ?? []) as R[];
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  };
}

/** Opens (and on first use initialises) an embedded PGlite database. */
export async function openPglite(options: PgliteOptions = {}): Promise<Database> {
  const { dataDir, loadDataDir } = options;
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const pg = await PGlite.create({ ...(dataDir === undefined ? {} : { dataDir }), ...(loadDataDir === undefined ? {} : { loadDataDir }) });
  const prepared = new Map<string, string>();
  const outer = queryable(pg, prepared);
  return {
    kind: "pglite",
    query: outer.query,
    exec: outer.exec,
    transaction: (fn) => pg.transaction((tx) => fn(queryable(tx, prepared))),
    close: () => pg.close(),
  };
}
