import { loadConfig } from "../config.js";
import { appliedMigrations, migrate } from "../store/migrate.js";
import { openDatabase } from "../store/open-database.js";

export async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrate(db);
    for (const m of applied) process.stdout.write(`applied ${m.version} ${m.name}\n`);
    const all = await appliedMigrations(db);
    process.stdout.write(`${db.kind}: ${all.length} migrations applied, ${applied.length} new\n`);
    return 0;
  } finally {
    await db.close();
  }
}
