/**
 * Picks the backend from configuration: PostgreSQL when a URL is given, embedded PGlite otherwise.
 */
import type { Database } from "./database.js";
import { openPglite } from "./pglite.js";
import { openPostgres, type PostgresOptions } from "./postgres.js";

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** PostgreSQL connection URL (`DATABASE_URL`). When set, the other options are ignored. */
  databaseUrl?: string;
  /** PGlite data directory. Default: none (in memory). */
  dataDir?: string;
  /** Force an in-memory PGlite even if `dataDir` is set. Default: false. */
  inMemory?: boolean;
  /** Passed to {@link openPostgres} when `databaseUrl` is set. */
  postgres?: PostgresOptions;
}

/** Opens the configured database. Does not migrate: call `migrate(db)` next. */
export function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const { databaseUrl, dataDir, inMemory = false, postgres } = options;
  if (databaseUrl) return openPostgres(databaseUrl, postgres);
  return openPglite(inMemory || dataDir === undefined ? {} : { dataDir });
}
