/**
 * A fresh, migrated in-memory PGlite database for a test, cloned from the run's template (built
 * once by pglite-template.setup.ts): about a second instead of the several that booting and
 * migrating a new one takes. Each clone is independent; its `close()` discards it.
 */
import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import type { Database } from "../../src/store/database.js";
import { openPglite } from "../../src/store/pglite.js";

let template: Promise<Blob> | undefined;

/** Opens a new in-memory PGlite database that already holds the current schema. */
export async function openPgliteClone(): Promise<Database> {
  template ??= readFile(inject("pgliteTemplate")).then((bytes) => new Blob([bytes]));
  return openPglite({ loadDataDir: await template });
}
