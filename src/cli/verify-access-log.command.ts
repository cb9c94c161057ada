/**
 * `bankgraph verify-access-log`: checks that a person's access log is what the gateway wrote —
 * either as it is in the configured store (DATABASE_URL or DATA_DIR), or as an exported file.
 * Exit code 0: intact; 1: broken (the first broken record is named); 2: usage.
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { JSONWebKeySet } from "jose";
import { parseAccessLogExport, toAccessLogExport } from "../access-log/access-log-export.js";
import { readStoredAccessLog } from "../access-log/stored-access-log.js";
import { verifyAccessLog, type AccessLogVerdict, type ExpectedHead } from "../access-log/verify-access-chain.js";
import { loadConfig } from "../config.js";
import { openDatabase } from "../store/open-database.js";

const USAGE = `Usage:
  bankgraph verify-access-log --user <id> [--export <file>] [--jwks <file|url>]
      verifies the person's access log in the store (DATABASE_URL or DATA_DIR); --export also writes it to a file
  bankgraph verify-access-log --file <export.json> [--jwks <file|url>]
      verifies an exported access log; pass the gateway's /.well-known/jwks.json as --jwks (else the file's own keys are used)
`;

export async function verifyAccessLogCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { user: { type: "string" }, file: { type: "string" }, export: { type: "string" }, jwks: { type: "string" } },
  });
  if ((values.user === undefined) === (values.file === undefined) || (values.file !== undefined && values.export !== undefined)) {
    process.stderr.write(USAGE);
    return 2;
  }
  const jwks = values.jwks === undefined ? undefined : await readKeySet(values.jwks);
  if (values.file !== undefined) {
    const exported = parseAccessLogExport(JSON.parse(await readFile(values.file, "utf8")) as unknown);
    if (!jwks) process.stdout.write("note: verifying against the keys inside the file; pass --jwks <the gateway's /.well-known/jwks.json> to rely on them\n");
    const verdict = await verifyAccessLog({ ...exported, keys: jwks ?? exported.keys });
    return report(exported.userId, verdict, []);
  }
  const userId = values.user!;
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const stored = await readStoredAccessLog(db, userId);
    const alsoHeads: ExpectedHead[] = stored.storeHead ? [{ ...stored.storeHead, label: "the store's head row" }] : [];
    const verdict = await verifyAccessLog({
      userId,
      records: stored.records,
      signedHead: stored.signedHead?.jws ?? null,
      keys: jwks ?? stored.keys,
      alsoHeads,
    });
    if (values.export !== undefined) {
      const file = toAccessLogExport(userId, stored.records, stored.signedHead?.jws ?? null, stored.keys);
      await writeFile(values.export, `${JSON.stringify(file, null, 2)}\n`);
      process.stdout.write(`exported ${stored.records.length} records to ${values.export}\n`);
    }
    return report(userId, verdict, stored.storeHead ? [`store head: record ${stored.storeHead.seq}`] : []);
  } finally {
    await db.close();
  }
}

function report(userId: string, verdict: AccessLogVerdict, notes: string[]): number {
  if (!verdict.ok) {
    const where = verdict.broken.seq === null ? "" : ` at record ${verdict.broken.seq}`;
    process.stdout.write(`access log of ${userId}: BROKEN${where} (${verdict.broken.reason}): ${verdict.broken.message}\n`);
    return 1;
  }
  const range = verdict.records === 0 ? "no records" : `${verdict.records} records (1–${verdict.tip.seq})`;
  const signed = verdict.signedHead
    ? `signed head: record ${verdict.signedHead.seq}, signed ${verdict.signedHead.signedAt}`
    : "no signed head yet: records cut off the end would not show";
  process.stdout.write(`access log of ${userId}: intact — ${range}; ${[signed, ...notes].join("; ")}\n`);
  return 0;
}

async function readKeySet(source: string): Promise<JSONWebKeySet> {
  const text = /^https?:\/\//.test(source) ? await (await fetch(source)).text() : await readFile(source, "utf8");
  const parsed = JSON.parse(text) as { keys?: unknown };
  if (!Array.isArray(parsed.keys)) throw new Error(`${source} is not a JSON Web Key Set ({ "keys": [...] })`);
  return parsed as JSONWebKeySet;
}
