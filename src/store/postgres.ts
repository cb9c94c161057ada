/**
 * PostgreSQL through a `pg` pool: what N stateless gateway instances share (`DATABASE_URL`).
 */
import pg from "pg";
import type { Database, Queryable, QueryOptions } from "./database.js";

/** Options for {@link openPostgres}. */
export interface PostgresOptions {
  /**
   * Schema to work in: it becomes the connections' `search_path` and is created if missing.
   * Default: none — the server's default `search_path` (normally `public`). Tests use a fresh
   * schema per file so they can run side by side against one database.
   */
  schema?: string;
  /** Pool size. Default: 10. */
  max?: number;
  /** Shown in `pg_stat_activity`. Default: "bankgraph". */
  applicationName?: string;
}

const INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * `pg` returns int8 as a string by default (it may not fit a JS number). Identity ids and
 * `count(*)` are int8, and PGlite answers them as numbers, so parse the same way PGlite does:
 * a number while it is a safe integer, a bigint beyond. Scoped to our pool, not pg's global
 * parser table, so other `pg` users in the process are unaffected.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8_OID) {
      return (value: string) => {
        const n = Number(value);
        return Number.isSafeInteger(n) ? n : BigInt(value);
      };
    }
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/** Two instances starting at once can both miss the schema; the loser's duplicate error is fine. */
async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== "23505" && code !== "42P06") throw error;
  }
}

function queryable(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(sql: string, params?: unknown[], options?: QueryOptions) {
      // pg prepares a named statement once per connection and then only binds and executes it.
      const result = await client.query(options?.prepareAs ? { name: options.prepareAs, text: sql, values: params } : { text: sql, values: params });
      return result.rows as R[];
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await client.query(sql);
    },
  };
}

/**
 * Opens a pool to PostgreSQL and checks it answers (so a wrong URL fails at startup, not on
 * the first request). `timestamptz` columns come back as `Date`, `int8` as number (see above).
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const { schema, max = 10, applicationName = "bankgraph" } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid schema name "${schema}": use lower-case letters, digits and _`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: applicationName,
    types,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  try {
    if (schema === undefined) await pool.query("SELECT 1");
    else await createSchema(pool, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const outer = queryable(pool);
  return {
    kind: "postgres",
    query: outer.query,
    exec: outer.exec,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(queryable(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
