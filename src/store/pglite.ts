/**
 * Embedded PostgreSQL (PGlite, WASM) for the single-process gateway and for tests.
 * One PGlite instance is one connection: never open the same data directory from two processes.
 */
import { mkdir } from "node:fs/promises";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type { Database, Queryable } from "./database.js";

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

function queryable(target: PGlite | Transaction): Queryable {
  return {
    async query<R>(sql: string, params?: unknown[]) {
      const result = await target.query<R>(sql, params);
      return result.rows;
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
  const outer = queryable(pg);
  return {
    kind: "pglite",
    query: outer.query,
    exec: outer.exec,
    transaction: (fn) => pg.transaction((tx) => fn(queryable(tx))),
    close: () => pg.close(),
  };
}
