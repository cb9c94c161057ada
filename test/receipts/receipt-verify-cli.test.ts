/**
 * Anyone can verify a receipt: two gateway instances on one PostgreSQL publish one key set; a
 * receipt issued through one verifies against the other's /.well-known/jwks.json, and
 * `bankgraph verify-receipt` (run as a child process, as a person would) accepts it and prints it in
 * words, and refuses with the reason a receipt with one byte changed, an unknown key and a JWS
 * that is not a receipt.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.js";
import { verifyConsentReceipt } from "../../src/receipts/receipt-verification.js";
import { openPostgresTestDatabase } from "../support/databases.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { fetchJwks, receiptsOf } from "./receipt-support.js";

const BIN = new URL("../../bin/bankgraph.js", import.meta.url).pathname;

/** `bankgraph verify-receipt …` as a child process: its exit code and output. */
function verifyReceiptCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, "verify-receipt", ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The compact JWS with one character of its payload changed. */
function oneByteChanged(jws: string): string {
  const [header, payload, signature] = jws.split(".") as [string, string, string];
  const at = Math.floor(payload.length / 2);
  const changed = payload[at] === "A" ? "B" : "A";
  return [header, payload.slice(0, at) + changed + payload.slice(at + 1), signature].join(".");
}

describe("verifying receipts across instances and offline", () => {
  let db: Database;
  let first: TestGateway;
  let second: TestGateway;
  let dir: string;

  beforeAll(async () => {
    db = await openPostgresTestDatabase();
    first = await startTestGateway({ db, mocks: { banks: ["chase"] } });
    second = await startTestGateway({ db, cluster: first.mocks });
    dir = await mkdtemp(join(tmpdir(), "bankgraph-receipts-"));
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("two instances on one PostgreSQL publish the same key, and a receipt from one verifies against the other's key set", async () => {
    const [a, b] = await Promise.all([fetchJwks(first), fetchJwks(second)]);
    expect(b.keys).toEqual(a.keys);
    expect(first.gateway.services.signer.kid).toBe(second.gateway.services.signer.kid);

    const erin = await first.newUser("cli-erin", ["chase"]);
    const consentId = await first.grant(erin, "chase", ["accounts:read", "transactions:read"]);
    const [receipt] = await receiptsOf(second, consentId, erin.user);
    const verified = await verifyConsentReceipt(receipt!.jws, b.keys);
    expect(verified.receipt.event).toBe("AUTHORIZED");

    const receiptFile = join(dir, "receipt.jws");
    const jwksFile = join(dir, "jwks.json");
    await writeFile(receiptFile, receipt!.jws);
    await writeFile(jwksFile, JSON.stringify(b.keys));

    const offline = await verifyReceiptCli([receiptFile, "--jwks", jwksFile]);
    expect(offline.stderr).toBe("");
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain(`Receipt verified: signed by Bankgraph's key ${receipt!.keyId}`);
    for (const words of ["You agreed to share", "Messenger (test) (Messenger Test Ltd.)", "JPMorgan Chase", "Which accounts you have; Transactions", "••"]) {
      expect(offline.stdout, words).toContain(words);
    }

    const overHttp = await verifyReceiptCli([receiptFile, "--jwks", `${second.gateway.publicUrl}/.well-known/jwks.json`]);
    expect(overHttp.code).toBe(0);

    await writeFile(join(dir, "changed.jws"), oneByteChanged(receipt!.jws));
    const changed = await verifyReceiptCli([join(dir, "changed.jws"), "--jwks", jwksFile]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toBe("");
    expect(changed.stderr).toMatch(/^Receipt NOT verified: bad signature/);

    const { publicKey } = await generateKeyPair("ES256", { extractable: true });
    await writeFile(join(dir, "other-jwks.json"), JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "someone-else", alg: "ES256" }] }));
    const unknown = await verifyReceiptCli([receiptFile, "--jwks", join(dir, "other-jwks.json")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^Receipt NOT verified: unknown key/);

    await writeFile(join(dir, "head.jws"), await first.gateway.services.signer.sign({ head: "not a receipt" }, "bankgraph-access-log-head+jws"));
    const notReceipt = await verifyReceiptCli([join(dir, "head.jws"), "--jwks", jwksFile]);
    expect(notReceipt.code).toBe(1);
    expect(notReceipt.stderr).toMatch(/^Receipt NOT verified: not a consent receipt/);
  }, 240_000);
});
