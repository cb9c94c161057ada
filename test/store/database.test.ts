import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.js";
import { appliedMigrations, loadMigrations, migrate } from "../../src/store/migrate.js";
import { openDatabase } from "../../src/store/open-database.js";
import { openPglite } from "../../src/store/pglite.js";
import { openPostgres } from "../../src/store/postgres.js";
import { storeBackends, testDatabaseUrl } from "../support/databases.js";

const backends = await storeBackends();
const TABLES = [
  "access_log",
  "access_log_heads",
  "access_log_signed_heads",
  "app_webhook_deliveries",
  "bank_authorization_attempts",
  "bank_event_marks",
  "bank_grant_revocations",
  "bank_security_events",
  "clients",
  "connect_session_banks",
  "connect_sessions",
  "consent_events",
  "consent_expiry_notices",
  "consent_payment_limits",
  "consent_receipts",
  "consents",
  "disclosures",
  "event_heads",
  "event_log",
  "event_subjects",
  "link_account_scans",
  "link_accounts",
  "link_shared_accounts",
  "links",
  "passkey_challenges",
  "passkeys",
  "payment_idempotency_keys",
  "payment_intents",
  "payment_status_history",
  "schema_migrations",
  "signing_keys",
  "web_sessions",
  "webhook_events",
];

describe.each(backends)("database on $name", (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(() => db?.close());

  it("reports its kind", () => {
    expect(db.kind).toBe(backend.name);
  });

  it("migrates to the current version and records it", async () => {
    const files = await loadMigrations();
    const ledger = await appliedMigrations(db);
    expect(ledger.map((m) => [m.version, m.name])).toEqual(files.map((m) => [m.version, m.name]));
    expect(ledger[0]).toMatchObject({ version: 1, name: "initial" });
    expect(ledger[0]!.appliedAt).toBeInstanceOf(Date);
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(TABLES);
  });

  it("is idempotent: migrating again applies nothing and changes no ledger row", async () => {
    const before = await appliedMigrations(db);
    expect(await migrate(db)).toEqual([]);
    expect(await migrate(db)).toEqual([]);
    expect(await appliedMigrations(db)).toEqual(before);
  });

  it("converts values the same way on both backends", async () => {
    const at = new Date("2025-03-04T05:06:07.089Z");
    const [row] = await db.query<Record<string, unknown>>(
      `SELECT $1::timestamptz AS at, 42::bigint AS big, count(*) AS n, $2::text[] AS list,
              $3::jsonb AS doc, '6f1c9a52-8a35-4c8b-9f0e-3f1f6b0e2d11'::uuid AS id, NULL::text AS nothing
       FROM (VALUES (1), (2), (3)) AS v(x)`,
      [at, ["a", "b"], JSON.stringify({ nested: [1, "two"] })],
    );
    expect(row).toEqual({
      at,
      big: 42,
      n: 3,
      list: ["a", "b"],
      doc: { nested: [1, "two"] },
      id: "6f1c9a52-8a35-4c8b-9f0e-3f1f6b0e2d11",
      nothing: null,
    });
    const [huge] = await db.query<{ v: unknown }>("SELECT 9007199254740993::bigint AS v");
    expect(huge!.v).toBe(9007199254740993n);
  });

  it("commits a transaction that resolves and rolls back one that throws", async () => {
    await db.exec("CREATE TABLE tx_probe (v integer)");
    const result = await db.transaction(async (tx) => {
      await tx.query("INSERT INTO tx_probe (v) VALUES ($1)", [1]);
      return "done";
    });
    expect(result).toBe("done");
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO tx_probe (v) VALUES ($1)", [2]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db.query("SELECT v FROM tx_probe ORDER BY v")).toEqual([{ v: 1 }]);
    await db.exec("DROP TABLE tx_probe");
  });

  it("runs a named (prepared) statement like any other: same values back, awkward text kept exactly, injection stays data", async () => {
    await db.exec("CREATE TABLE prepared_probe (label text, id uuid, n bigint, at timestamptz)");
    const sql = `INSERT INTO prepared_probe SELECT * FROM unnest($1::text[], $2::uuid[], $3::bigint[], $4::timestamptz[])
      RETURNING label, id, n, at`;
    const at = new Date("2025-03-04T05:06:07.089Z");
    const awkward = [`it's`, `back\\slash`, `"quoted"`, "{a,b}", "NULL", "'); DROP TABLE prepared_probe; --", "ünï 💸", ""];
    const rows = await db.query(sql, [awkward, awkward.map(() => null), awkward.map((_, i) => i), awkward.map(() => at.toISOString())], {
      prepareAs: "prepared_probe_insert",
    });
    expect(rows).toEqual(awkward.map((label, n) => ({ label, id: null, n, at })));
    // Again under the same name (now only executed), in a transaction, with NULLs in a text column.
    await db.transaction((tx) =>
      tx.query(
        sql,
        [
          [null, "x"],
          ["6f1c9a52-8a35-4c8b-9f0e-3f1f6b0e2d11", null],
          [98, 99],
          [null, null],
        ],
        { prepareAs: "prepared_probe_insert" },
      ),
    );
    expect(await db.query("SELECT label, id FROM prepared_probe WHERE n >= 98 ORDER BY n")).toEqual([
      { label: null, id: "6f1c9a52-8a35-4c8b-9f0e-3f1f6b0e2d11" },
      { label: "x", id: null },
    ]);
    // A value of the wrong type is refused by the parameter's type, and nothing is written.
    await expect(
      db.query(sql, [["y"], ["not-a-uuid'); DROP TABLE prepared_probe; --"], [100], [null]], { prepareAs: "prepared_probe_insert" }),
    ).rejects.toThrow(/uuid/);
    expect(await db.query("SELECT count(*) AS n FROM prepared_probe")).toEqual([{ n: awkward.length + 2 }]);
    await db.exec("DROP TABLE prepared_probe");
  });

  it("runs multi-statement scripts through exec", async () => {
    await db.exec("CREATE TABLE exec_probe (v integer); INSERT INTO exec_probe VALUES (7), (8);");
    expect(await db.query("SELECT sum(v) AS s FROM exec_probe")).toEqual([{ s: 15 }]);
    await db.exec("DROP TABLE exec_probe");
  });
});

describe.runIf(backends.some((b) => b.name === "postgres"))("migrations against one PostgreSQL schema", () => {
  const schema = `bankgraph_test_mig_${process.pid}_${Date.now()}`;
  const opened: Database[] = [];
  afterAll(async () => {
    await opened[0]?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await Promise.all(opened.map((d) => d.close()));
  });

  it("two instances migrating at once apply each migration exactly once", async () => {
    const a = await openPostgres(testDatabaseUrl, { schema, max: 2 });
    opened.push(a);
    const b = await openPostgres(testDatabaseUrl, { schema, max: 2 });
    opened.push(b);
    const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
    const files = await loadMigrations();
    // Between them they applied every migration once; nobody failed on a duplicate.
    expect([...ra, ...rb].map((m) => m.version).sort((x, y) => x - y)).toEqual(files.map((m) => m.version));
    const ledger = await appliedMigrations(a);
    expect(ledger.map((m) => m.version)).toEqual(files.map((m) => m.version));
  });

  it("refuses a schema name that could inject SQL", async () => {
    await expect(openPostgres(testDatabaseUrl, { schema: "x; DROP TABLE y" })).rejects.toThrow(
      'Invalid schema name "x; DROP TABLE y": use lower-case letters, digits and _',
    );
  });
});

describe("migration files", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bankgraph-mig-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("refuses a gap in the numbering", async () => {
    await writeFile(join(dir, "001_a.sql"), "SELECT 1;");
    await writeFile(join(dir, "003_c.sql"), "SELECT 1;");
    await expect(loadMigrations(pathToFileURL(dir + "/"))).rejects.toThrow('Migration "003_c.sql": expected version 2, found 3');
  });

  it("refuses a badly named file", async () => {
    const other = await mkdtemp(join(tmpdir(), "bankgraph-mig-"));
    await writeFile(join(other, "1-init.sql"), "SELECT 1;");
    await expect(loadMigrations(pathToFileURL(other + "/"))).rejects.toThrow('Migration file "1-init.sql" is not named NNN_name.sql');
    await rm(other, { recursive: true, force: true });
  });

  it("rolls a failing migration back whole and records nothing", async () => {
    const db = await openPglite();
    try {
      const broken = [{ version: 1, name: "broken", sql: "CREATE TABLE half (v int); SELECT * FROM missing_table;" }];
      await expect(migrate(db, broken)).rejects.toThrow(/missing_table/);
      // The ledger was created in the same transaction, so it is gone too: nothing half-applied.
      expect(await db.query("SELECT to_regclass('half') AS t, to_regclass('schema_migrations') AS l")).toEqual([{ t: null, l: null }]);
      const fixed = [{ version: 1, name: "fixed", sql: "CREATE TABLE half (v int);" }];
      expect(await migrate(db, fixed)).toEqual(fixed);
      expect((await appliedMigrations(db)).map((m) => m.name)).toEqual(["fixed"]);
    } finally {
      await db.close();
    }
  });
});

describe("PGlite data directory", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bankgraph-pglite-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("keeps data across close and reopen (and creates the directory)", async () => {
    const dataDir = join(dir, "nested", "data");
    const first = await openDatabase({ dataDir });
    expect(first.kind).toBe("pglite");
    await migrate(first);
    await first.query("INSERT INTO webhook_events VALUES ($1, $2, $3)", ["chase", "evt-1", new Date(0)]);
    await first.close();

    const second = await openDatabase({ dataDir });
    try {
      expect(await migrate(second)).toEqual([]);
      expect(await second.query("SELECT institution_id, event_id, received_at FROM webhook_events")).toEqual([
        { institution_id: "chase", event_id: "evt-1", received_at: new Date(0) },
      ]);
    } finally {
      await second.close();
    }
  });

  it("opens in memory when asked, even with a data directory", async () => {
    const dataDir = join(dir, "unused");
    const db = await openDatabase({ dataDir, inMemory: true });
    try {
      await migrate(db);
      await expect(import("node:fs/promises").then((fs) => fs.stat(dataDir))).rejects.toThrow(/ENOENT/);
    } finally {
      await db.close();
    }
  });
});
