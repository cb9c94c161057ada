/**
 * Versioned schema migrations: `migrations/NNN_name.sql`, applied in order, each in its own
 * transaction and recorded in `schema_migrations`. Safe when several gateway instances start at
 * once against one PostgreSQL: every migration transaction first takes a transaction-scoped
 * advisory lock, then re-checks whether its version is already applied, so exactly one instance
 * applies it and the others wait and skip. PGlite runs the same SQL (the lock is trivially free there).
 *
 * The .sql files are read from next to this module (import.meta.url), so they must ship beside it.
 */
import { readdir, readFile } from "node:fs/promises";
import type { Database } from "./database.js";

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** A row of `schema_migrations`. */
export interface AppliedMigration {
  version: number;
  name: string;
  appliedAt: Date;
}

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);
const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;
/** First key of the two-key advisory lock; the second is the schema, so test schemas don't queue. */
const LOCK_CLASS = 0x62_67_72; // "bgr"

const CREATE_LEDGER = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/** Reads the migration files, ordered by version; throws on a duplicate or a gap in the numbering. */
export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`Migration file "${file}" is not named NNN_name.sql`);
    const version = Number(match[1]);
    const expected = migrations.length + 1;
    if (version !== expected) {
      throw new Error(`Migration "${file}": expected version ${expected}, found ${version}`);
    }
    migrations.push({ version, name: match[2]!, sql: await readFile(new URL(file, dir), "utf8") });
  }
  return migrations;
}

/**
 * Applies every pending migration; idempotent. Returns the migrations this call applied
 * (empty when the schema was already current, or another instance applied them meanwhile).
 */
export async function migrate(db: Database, migrations?: Migration[]): Promise<Migration[]> {
  const all = migrations ?? (await loadMigrations());
  const applied: Migration[] = [];
  for (const migration of all) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))", [LOCK_CLASS]);
      await tx.exec(CREATE_LEDGER);
      const done = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version]);
      if (done.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [migration.version, migration.name]);
      return true;
    });
    if (didApply) applied.push(migration);
  }
  return applied;
}

/** What `schema_migrations` records, oldest first. */
export async function appliedMigrations(db: Database): Promise<AppliedMigration[]> {
  const rows = await db.query<{ version: number; name: string; applied_at: Date }>("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
  return rows.map((r) => ({ version: r.version, name: r.name, appliedAt: r.applied_at }));
}
