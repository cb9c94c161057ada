/**
 * A request's starting point, the store alone: CPU per `ConsentService.linksAndEffectiveConsents`
 * (a person's 6 links and an app's consents on them, statuses judged against the clock) read from
 * the store every time, against kept in process behind the person's grant version
 * (src/consent/grants-cache.ts), alternately in rounds, on PGlite on disk (as `npm start` runs it)
 * and on PostgreSQL + Redis (the version read from Redis on every call). `--concurrency` callers
 * back to back, as that many connections would.
 *
 *   node --import tsx bench/grants-read.ts [--calls 2000] [--rounds 3] [--concurrency 8] [--backend pglite,postgres]
 * PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test (a schema of its own,
 * dropped after); Redis: TEST_REDIS_URL, else redis://127.0.0.1:6379.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { randomBytes, randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { RedisGrantVersions } from "../src/cache/grant-versions.js";
import { ConsentService } from "../src/consent/consent-service.js";
import { GrantsCache } from "../src/consent/grants-cache.js";
import { ConsentPurpose } from "../src/domain/consent.js";
import { ClientRepository } from "../src/store/client-repository.js";
import type { Database } from "../src/store/database.js";
import { watchGrantWrites, type GrantWatchedDatabase } from "../src/store/grant-writes.js";
import { LinkConsentRepository } from "../src/store/link-consent-repository.js";
import { LinkRepository } from "../src/store/link-repository.js";
import { migrate } from "../src/store/migrate.js";
import { openPglite } from "../src/store/pglite.js";
import { openPostgres } from "../src/store/postgres.js";

const { values } = parseArgs({
  options: {
    calls: { type: "string", default: "2000" },
    rounds: { type: "string", default: "3" },
    concurrency: { type: "string", default: "8" },
    backend: { type: "string", default: "pglite,postgres" },
  },
});
const CALLS = Number(values.calls);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = Number(values.concurrency);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const BANKS = ["chase", "wells_fargo", "citi", "us_bank", "paypal", "amex"];
const APP = "grants-bench-app";

/** People (one per caller), each with every bank linked and the app's authorized consent on each. */
async function seed(db: GrantWatchedDatabase): Promise<string[]> {
  await new ClientRepository(db).register({ id: APP, name: "Grants bench", allowedPurposes: [ConsentPurpose.ACCOUNT_OVERVIEW] });
  const consents = new ConsentService({ db });
  const people = Array.from({ length: CONCURRENCY }, () => `grants-bench-${randomUUID()}`);
  for (const userId of people) {
    for (const bank of BANKS) {
      const link = await new LinkRepository(db).create(userId, bank, "v1.ciphertext");
      const requested = await consents.requestConsent({
        userId,
        clientId: APP,
        linkId: link.id,
        scopes: ["accounts:read", "balances:read", "transactions:read"],
        purpose: ConsentPurpose.ACCOUNT_OVERVIEW,
        durationDays: 90,
      });
      await consents.authorize(requested.id, userId);
    }
  }
  return people;
}

/** CPU µs per call of `read` (process CPU, user + system), `CONCURRENCY` callers back to back. */
async function cpuPerCall(service: ConsentService, people: readonly string[]): Promise<number> {
  let left = CALLS;
  const caller = async (userId: string) => {
    while (left-- > 0) {
      const { links, consents } = await service.linksAndEffectiveConsents(userId, APP);
      if (links.length !== BANKS.length || consents.size !== BANKS.length) throw new Error("wrong answer");
      // A request ends with I/O: let timers and other callers run, as between two requests.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const before = process.cpuUsage();
  await Promise.all(people.map(caller));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}

async function measure(name: string, db: GrantWatchedDatabase, shared?: RedisGrantVersions): Promise<void> {
  await migrate(db);
  const people = await seed(db);
  const store = new LinkConsentRepository(db);
  const read = (userId: string, clientId: string) => store.listForUser(userId, clientId);
  const everyTime = new ConsentService({ db });
  const cache = new GrantsCache({ read, localVersion: (userId) => db.grantVersion(userId), shared });
  const kept = new ConsentService({ db, readLinksWithConsents: (userId, clientId) => cache.read(userId, clientId) });
  // Warm-up: both paths compiled, the cache filled.
  await cpuPerCall(everyTime, people);
  await cpuPerCall(kept, people);
  const rows: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const store = await cpuPerCall(everyTime, people);
    const cached = await cpuPerCall(kept, people);
    rows.push(`round ${round}: store every time ${store.toFixed(0)} µs/call, kept ${cached.toFixed(0)} µs/call`);
  }
  console.log(`${name} (${CONCURRENCY} callers, ${CALLS} calls a run):\n  ${rows.join("\n  ")}`);
}

for (const backend of values.backend.split(",")) {
  if (backend === "pglite") {
    const dir = await mkdtemp(join(tmpdir(), "bankgraph-grants-bench-"));
    const db = watchGrantWrites(await openPglite({ dataDir: dir }));
    try {
      await measure("PGlite on disk", db);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  } else if (backend === "postgres") {
    const schema = `bankgraph_grantsbench_${randomBytes(5).toString("hex")}`;
    const raw: Database = await openPostgres(DATABASE_URL, { schema, max: 4, applicationName: "bankgraph-grants-bench" });
    const db = watchGrantWrites(raw);
    const shared = new RedisGrantVersions(REDIS_URL);
    try {
      await measure("PostgreSQL + Redis (gateway process CPU only; the servers' own CPU is not counted)", db, shared);
    } finally {
      await shared.close();
      await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db.close();
    }
  }
}
