/**
 * Migrated PGlite databases for tests, cloned from the run's template (built once by
 * pglite-template.setup.ts): about a second instead of the several that booting (initdb) and
 * migrating a new one takes — far more on a busy machine. Each clone is independent.
 */
import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import type { Database } from "../../src/store/database.js";
import { openPglite } from "../../src/store/pglite.js";

let template: Promise<Blob> | undefined;

function templateDump(): Promise<Blob> {
  template ??= readFile(inject("pgliteTemplate")).then((bytes) => new Blob([bytes]));
  return template;
}

/** Opens a new in-memory PGlite database that already holds the current schema; `close()` discards it. */
export async function openPgliteClone(): Promise<Database> {
  return openPglite({ loadDataDir: await templateDump() });
}

/**
 * Fills an empty directory with a migrated PGlite database, for tests that run a gateway on a
 * DATA_DIR (restarts). Not for tests of what a gateway does with a NEW data directory.
 */
export async function seedDataDir(dataDir: string): Promise<void> {
  const db = await openPglite({ dataDir, loadDataDir: await templateDump() });
  await db.close();
}
