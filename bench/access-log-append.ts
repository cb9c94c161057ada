/**
 * Access-log append throughput, the store alone: `--concurrency` callers, each a request that
 * read `--records` (link, scope) pairs for one of `--people` people, append through the access
 * log's group commit back to back for `--seconds` (after a second of warm-up). Reports appends
 * (requests on the record) and records per second, on PGlite in memory and on PostgreSQL. Only the
 * public `AccessLogRepository.append` is used, so the same file measures any revision of it —
 * e.g. before and after the hash chain (issue 13), run alternately under the same load.
 *
 *   node --import tsx bench/access-log-append.ts [--seconds 5] [--concurrency 32] [--people 64] [--records 6] [--backend pglite,postgres]
 * PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test (a schema of its own, dropped after).
 */
import { randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import { AccessLogRepository, type AccessRecord } from "../src/store/access-log-repository.js";
import type { Database } from "../src/store/database.js";
import { migrate } from "../src/store/migrate.js";
import { openPglite } from "../src/store/pglite.js";
import { openPostgres } from "../src/store/postgres.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "32" },
    people: { type: "string", default: "64" },
    records: { type: "string", default: "6" },
    backend: { type: "string", default: "pglite,postgres" },
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const PEOPLE = Number(values.people);
const RECORDS = Number(values.records);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SCOPES = ["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read", "alerts:read"];

/** One request's records: `RECORDS` (link, scope) pairs read for `userId`. */
function requestRecords(userId: string, linkIds: readonly string[], n: number): AccessRecord[] {
  const requestId = `bench-${n}`;
  const at = new Date();
  return Array.from({ length: RECORDS }, (_, i) => ({
    userId,
    clientId: "bench-app",
    linkId: linkIds[i % linkIds.length]!,
    institutionId: "chase",
    consentId: linkIds[(i + 1) % linkIds.length]!,
    scope: SCOPES[i % SCOPES.length]!,
    purpose: "ACCOUNT_OVERVIEW",
    operationName: "Dashboard",
    requestId,
    at,
  }));
}

async function run(db: Database): Promise<{ appendsPerSecond: number; recordsPerSecond: number }> {
  const log = new AccessLogRepository(db);
  const linkIds = Array.from({ length: 3 }, () => randomUUID());
  let counting = false;
  let appends = 0;
  let stop = false;
  let n = 0;
  const caller = async (worker: number) => {
    while (!stop) {
      await log.append(requestRecords(`bench-person-${(worker + n) % PEOPLE}`, linkIds, n++));
      if (counting) appends++;
      // A request ends with I/O (the response); without this turn an in-process store (PGlite,
      // which settles in microtasks) would keep the group commit busy and starve the timers.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const callers = Array.from({ length: CONCURRENCY }, (_, i) => caller(i));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  counting = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const seconds = (performance.now() - started) / 1000;
  counting = false;
  const counted = appends;
  stop = true;
  await Promise.all(callers);
  return { appendsPerSecond: Math.round(counted / seconds), recordsPerSecond: Math.round((counted * RECORDS) / seconds) };
}

process.stdout.write(
  `access-log append: ${CONCURRENCY} callers × ${RECORDS} records, ${PEOPLE} people, ${SECONDS} s; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}\n`,
);
for (const backend of values.backend.split(",")) {
  const schema = `bench_access_log_${randomBytes(4).toString("hex")}`;
  const db = backend === "postgres" ? await openPostgres(DATABASE_URL, { schema, max: 10 }) : await openPglite({});
  try {
    await migrate(db);
    const result = await run(db);
    process.stdout.write(`${JSON.stringify({ backend, ...result })}\n`);
  } finally {
    if (backend === "postgres") await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await db.close();
  }
}
