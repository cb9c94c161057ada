/**
 * `bankgraph verify-receipt <file> [--jwks <file-or-url>]`: checks a downloaded consent receipt
 * against the gateway's published key set and prints it in plain words. Offline when `--jwks` is
 * a file (a saved copy of /.well-known/jwks.json); fetches only when given a URL, and by default
 * this gateway's own (PUBLIC_URL, else http://localhost:PORT). Exit 0 verified, 1 not verified
 * (the reason on stderr: bad signature, unknown key, not a receipt), 2 wrong usage.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { JSONWebKeySet } from "jose";
import { loadConfig } from "../config.js";
import { ReceiptNotVerified, verifyConsentReceipt } from "../receipts/receipt-verification.js";
import { receiptLines } from "../receipts/receipt-words.js";

const USAGE = "Usage: bankgraph verify-receipt <receipt.jws> [--jwks <jwks.json file or URL>]\n";

export async function verifyReceiptCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { jwks: { type: "string" } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const source = parsed.values.jwks ?? defaultKeySetUrl();
  let jws: string;
  let keys: JSONWebKeySet;
  try {
    jws = await readFile(file, "utf8");
  } catch {
    process.stderr.write(`Receipt NOT verified: cannot read ${file}\n`);
    return 1;
  }
  try {
    keys = await readKeySet(source);
  } catch (error) {
    process.stderr.write(`Receipt NOT verified: no key set from ${source}: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    const { receipt, kid } = await verifyConsentReceipt(jws, keys);
    const width = Math.max(...receiptLines(receipt).map((l) => l.label.length));
    process.stdout.write(`Receipt verified: signed by Bankgraph's key ${kid} (from ${source}), unchanged since.\n\n`);
    for (const line of receiptLines(receipt)) process.stdout.write(`${line.label.padEnd(width)}  ${line.value}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ReceiptNotVerified)) throw error;
    process.stderr.write(`Receipt NOT verified: ${error.message}\n`);
    return 1;
  }
}

/** This gateway's published key set. */
function defaultKeySetUrl(): string {
  const config = loadConfig();
  return `${config.web.publicUrl ?? `http://localhost:${config.port}`}/.well-known/jwks.json`;
}

/** A key set from a URL (fetched) or a file (read); must look like `{ "keys": [...] }`. */
async function readKeySet(source: string): Promise<JSONWebKeySet> {
  let text: string;
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = await response.text();
  } else {
    text = await readFile(source, "utf8");
  }
  const value = JSON.parse(text) as { keys?: unknown };
  if (!Array.isArray(value.keys)) throw new Error('not a key set (no "keys" list)');
  return value as JSONWebKeySet;
}
