/**
 * vitest globalSetup: builds ONE migrated PGlite database per test run and leaves a dump of its
 * data directory in a temporary file, whose path the test files get with `inject("pgliteTemplate")`
 * (see pglite-template.ts). Booting PGlite (initdb in WASM) and migrating costs seconds; loading
 * the dump skips both, so every gateway and store suite opens a clone instead.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { migrate } from "../../src/store/migrate.js";
import { openPglite } from "../../src/store/pglite.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of an uncompressed tar of a migrated PGlite data directory. */
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "bankgraph-pglite-template-"));
  const dataDir = join(dir, "data");
  const db = await openPglite({ dataDir });
  await migrate(db);
  await db.close();
  // Reopened raw only to dump it: the store's Database handle does not expose the data directory.
  const raw = await PGlite.create({ dataDir });
  const dump = await raw.dumpDataDir("none");
  await raw.close();
  const file = join(dir, "template.tar");
  await writeFile(file, new Uint8Array(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", file);
  return () => rm(dir, { recursive: true, force: true });
}
