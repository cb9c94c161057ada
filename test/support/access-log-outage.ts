/**
 * An access-log outage for "no record, no data" tests: while `during` runs, every INSERT into the
 * store's access_log fails (a trigger, so the gateway's own write path is what fails); afterwards
 * the table takes writes again, whatever `during` did.
 */
import type { Database } from "../../src/store/database.js";

export async function whileAccessLogIsDown<T>(db: Database, during: () => Promise<T>): Promise<T> {
  await db.exec(`
    CREATE FUNCTION access_log_unavailable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'access log unavailable (test)'; END $$;
    CREATE TRIGGER access_log_unavailable BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_unavailable();
  `);
  try {
    return await during();
  } finally {
    await db.exec("DROP TRIGGER access_log_unavailable ON access_log; DROP FUNCTION access_log_unavailable();");
  }
}
