/**
 * CPU of one request's access-log append (18 records: 6 links × 3 scopes, as a dashboard reads),
 * this tree's `AccessLogRepository` on PGlite on disk against an earlier tree's, in one process,
 * order alternating round by round: alone (a request whose write nobody joins) and 8 at once (the
 * group commit's one write for 8 requests). Only the public `append` is used.
 *
 *   rm -rf .ab-before && mkdir .ab-before && git archive <rev> mocks bench src test/support tsconfig.json package.json | tar -x -C .ab-before
 *   node --import tsx bench/access-log-append-ab.ts [rounds=6]
 */
import { randomUUID } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as afterLog from "../src/store/access-log-repository.js";
import { migrate } from "../src/store/migrate.js";
import * as afterPglite from "../src/store/pglite.js";

type Log = Pick<afterLog.AccessLogRepository, "append">;
const before = {
  pglite: (await import(new URL("../.ab-before/src/store/pglite.ts", import.meta.url).href)) as typeof afterPglite,
  log: (await import(new URL("../.ab-before/src/store/access-log-repository.ts", import.meta.url).href)) as typeof afterLog,
  // Each tree's own schema: the trees may store the log differently (migration 020).
  migrate: ((await import(new URL("../.ab-before/src/store/migrate.ts", import.meta.url).href)) as { migrate: typeof migrate }).migrate,
};
const ROUNDS = Number(process.argv[2] ?? 6);
const APPENDS = 400;
const links = Array.from({ length: 6 }, () => randomUUID());
/** One request's records: like the access recorder's, they share the request id and the time. */
const records = (n: number): afterLog.AccessRecord[] => {
  const requestId = randomUUID();
  const at = new Date();
  return links.flatMap((linkId) =>
    ["accounts:read", "balances:read", "transactions:read"].map((scope) => ({
      userId: `person-${n % 8}`,
      clientId: "bench-app",
      linkId,
      institutionId: "chase",
      consentId: links[0]!,
      scope,
      purpose: "ACCOUNT_OVERVIEW",
      operationName: "Dashboard",
      requestId,
      at,
    })),
  );
};
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const sides: Record<string, Log> = {};
for (const [name, modules] of [
  ["before", before],
  ["after", { pglite: afterPglite, log: afterLog, migrate }],
] as const) {
  const db = await modules.pglite.openPglite({ dataDir: await mkdtemp(join(tmpdir(), `append-ab-${name}-`)) });
  await modules.migrate(db);
  sides[name] = new modules.log.AccessLogRepository(db);
  for (let i = 0; i < 300; i++) await sides[name].append(records(i)); // warm-up
}
const figures: Record<string, number[]> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const name of round % 2 ? ["after", "before"] : ["before", "after"]) {
    for (const together of [1, 8]) {
      const writes = APPENDS / together;
      const started = cpuMs();
      for (let i = 0; i < writes; i++) await Promise.all(Array.from({ length: together }, (_, j) => sides[name]!.append(records(j))));
      (figures[`${name}, ${together} at once`] ??= []).push((cpuMs() - started) / APPENDS);
    }
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`CPU ms per request's append (18 records), PGlite on disk, median of ${ROUNDS} rounds of ${APPENDS} appends, order alternating`);
for (const [key, values] of Object.entries(figures).sort())
  console.log(`${key}: ${median(values).toFixed(3)} (${values.map((v) => v.toFixed(2)).join(" / ")})`);
process.exit(0);
