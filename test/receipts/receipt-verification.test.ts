/**
 * The verification contract, misuse by misuse (as dataloader's abuse test does): a receipt signed
 * with the gateway's key verifies and reads back in words; each way a file can fail names its own
 * reason — not a JWS at all, an unknown key, a changed byte, a JWS of another type, a receipt type
 * over content that is not a receipt.
 */
import { exportJWK, generateKeyPair, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { RECEIPT_TYP, RECEIPT_VERSION, type ConsentReceipt } from "../../src/receipts/consent-receipt.js";
import { ReceiptNotVerified, verifyConsentReceipt } from "../../src/receipts/receipt-verification.js";
import { receiptLines } from "../../src/receipts/receipt-words.js";
import { loadGatewaySigner, type GatewaySigner } from "../../src/signing/gateway-signer.js";
import type { Database } from "../../src/store/database.js";
import { createTokenCipher } from "../../src/store/token-cipher.js";
import { openPgliteClone } from "../support/pglite-template.js";

const REVOKED: ConsentReceipt = {
  version: RECEIPT_VERSION,
  receiptId: "9a4f3c3e-0000-4000-8000-000000000001",
  issuedAt: "2026-06-15T09:00:00.000Z",
  event: "REVOKED",
  consentId: "9a4f3c3e-0000-4000-8000-000000000002",
  status: "REVOKED",
  parties: {
    person: { id: "alice" },
    app: { id: "messenger", displayName: "Messenger", legalName: "Messenger Ltd.", role: "Receives your data (the data recipient)" },
    processor: { name: "Bankgraph", role: "Connects the app to your bank" },
    bank: { id: "citi", name: "Citi", role: "Holds your accounts (the data provider)" },
  },
  purpose: { code: "FRAUD_PROTECTION", words: "So that it can warn you quickly about payments that may be fraud" },
  scopes: [{ code: "alerts:read", words: "Alerts from your bank", includes: ["Fraud alerts", "Balance alerts"] }],
  accounts: [{ type: "CHECKING", name: "Citi Checking", masked: "••4321" }],
  historyWindow: { days: null, words: "As far back as your bank offers" },
  useLimits: "It will not use your data for advertising.",
  grantedOn: "2026-06-01T09:00:00.000Z",
  expiresOn: "2026-08-30T09:00:00.000Z",
  revokedOn: "2026-06-15T09:00:00.000Z",
  revokedBy: "CLIENT",
  revocationReason: "The app stopped its access",
  disclosureSha256: "ab".repeat(32),
};

const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "verified",
    (error: unknown) => (error instanceof ReceiptNotVerified ? `${error.reason}: ${error.message}` : `unexpected: ${String(error)}`),
  );

describe("verifying a consent receipt", () => {
  let db: Database;
  let signer: GatewaySigner;
  let keys: JSONWebKeySet;
  beforeAll(async () => {
    db = await openPgliteClone();
    signer = await loadGatewaySigner(db, createTokenCipher("22".repeat(32)), systemClock);
    keys = await signer.publicKeys();
  });
  afterAll(() => db?.close());

  it("accepts a receipt signed with a published key, and reads it back in words", async () => {
    const { receipt, kid } = await verifyConsentReceipt(`${await signer.sign(REVOKED, RECEIPT_TYP)}\n`, keys);
    expect(kid).toBe(signer.kid);
    expect(receipt).toEqual(REVOKED);
    const lines = Object.fromEntries(receiptLines(receipt).map((l) => [l.label, l.value]));
    expect(lines).toMatchObject({
      "What happened": "Sharing stopped",
      App: "Messenger (Messenger Ltd.)",
      Accounts: "Citi Checking ••4321",
      "Stopped by": "the app",
      Why: "The app stopped its access",
      "Disclosure you read": `SHA-256 ${"ab".repeat(32)}`,
      Issued: "June 15, 2026 at 9:00 AM UTC",
    });
  });

  it("names the reason for every way a file can fail", async () => {
    const good = await signer.sign(REVOKED, RECEIPT_TYP);
    const [header, , signature] = good.split(".") as [string, string, string];
    const changedPayload = Buffer.from(JSON.stringify({ ...REVOKED, revokedBy: "USER" })).toString("base64url");
    const { publicKey } = await generateKeyPair("ES256", { extractable: true });
    const strangers = { keys: [{ ...(await exportJWK(publicKey)), kid: "stranger", alg: "ES256" }] };

    expect(await reasonOf(verifyConsentReceipt("this is not a receipt", keys))).toMatch(/^MALFORMED: not a signed receipt/);
    expect(await reasonOf(verifyConsentReceipt(good, strangers))).toMatch(/^UNKNOWN_KEY: unknown key/);
    expect(await reasonOf(verifyConsentReceipt([header, changedPayload, signature].join("."), keys))).toMatch(/^BAD_SIGNATURE: bad signature/);
    expect(await reasonOf(verifyConsentReceipt(await signer.sign(REVOKED, "bankgraph-access-log-head+jws"), keys))).toBe(
      `NOT_A_RECEIPT: not a consent receipt: its type is bankgraph-access-log-head+jws, not ${RECEIPT_TYP}`,
    );
    expect(await reasonOf(verifyConsentReceipt(await signer.sign({ consentId: "c-1" }, RECEIPT_TYP), keys))).toBe(
      "NOT_A_RECEIPT: not a consent receipt: the signed content does not have a receipt's fields",
    );
  });
});
