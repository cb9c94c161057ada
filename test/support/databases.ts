/**
 * The store backends every store-facing suite runs against: embedded PGlite (in memory) and real
 * PostgreSQL. Use with `describe.each`:
 *
 *   const backends = await storeBackends();
 *   describe.each(backends)("… on $name", (backend) => {
 *     let db: Database;
 *     beforeAll(async () => { db = await backend.open(); });
 *     afterAll(() => db.close());
 *   });
 *
 * `open()` gives a migrated database of its own: a new in-memory PGlite (a clone of the run's
 * migrated template, see pglite-template.ts), or a fresh schema `bankgraph_test_<random>` on
 * PostgreSQL that `close()` drops again. Opening still costs a second or more, so open once per
 * file (beforeAll) and keep tests apart with fresh user ids, not fresh databases.
 *
 * PostgreSQL: `TEST_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/test. When it is
 * unreachable, CI (env CI set) still gets the backend and its `open()` fails the suite — CI never
 * silently skips; locally a loud warning is printed and the backend is left out.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Database, DatabaseKind } from "../../src/store/database.js";
import { migrate } from "../../src/store/migrate.js";
import { openPostgres } from "../../src/store/postgres.js";
import { openPgliteClone } from "./pglite-template.js";

/** One backend to run a suite against. */
export interface StoreBackend {
  name: DatabaseKind;
  /** A fresh, migrated database; its `close()` also removes what `open()` created. */
  open(): Promise<Database>;
}

/** The PostgreSQL URL the tests use. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

let reachable: Promise<string | null> | undefined;

/** Null when PostgreSQL answers, else why not. Probed once per test process. */
function probePostgres(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return null;
    } catch (error) {
      return (error as Error).message || String(error);
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

/** Opens a migrated PostgreSQL database in a new schema that `close()` drops. */
export async function openPostgresTestDatabase(): Promise<Database> {
  const problem = await probePostgres();
  if (problem) throw new Error(`PostgreSQL unreachable at ${testDatabaseUrl} (${problem}); CI requires it`);
  const schema = `bankgraph_test_${randomBytes(6).toString("hex")}`;
  const db = await openPostgres(testDatabaseUrl, { schema, max: 4, applicationName: "bankgraph-test" });
  await migrate(db);
  return {
    kind: db.kind,
    query: db.query,
    exec: db.exec,
    transaction: db.transaction,
    async close() {
      try {
        await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await db.close();
      }
    },
  };
}

/** Opens a migrated in-memory PGlite database (a clone of the run's template). */
export function openPgliteTestDatabase(): Promise<Database> {
  return openPgliteClone();
}

/** The backends available to this run (see the file comment for the CI rule). */
export async function storeBackends(): Promise<StoreBackend[]> {
  const backends: StoreBackend[] = [{ name: "pglite", open: openPgliteTestDatabase }];
  const problem = await probePostgres();
  if (problem && !process.env.CI) {
    console.warn(
      `\n${"!".repeat(78)}\n!! PostgreSQL unreachable at ${testDatabaseUrl}: ${problem}\n` +
        `!! Skipping the PostgreSQL half of the store suites. Set TEST_DATABASE_URL or start PostgreSQL;\n` +
        `!! in CI (env CI set) this is a failure, not a skip.\n${"!".repeat(78)}\n`,
    );
  } else {
    backends.push({ name: "postgres", open: openPostgresTestDatabase });
  }
  return backends;
}
