/**
 * The gateway's signing key: one key shared by every instance on a store (two starting together
 * agree), signatures verify against the published key set and fail when one byte changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { loadGatewaySigner, verifyGatewayJws } from "../../src/signing/gateway-signer.js";
import type { Database } from "../../src/store/database.js";
import { createTokenCipher } from "../../src/store/token-cipher.js";
import { storeBackends } from "../support/databases.js";

const cipher = createTokenCipher("11".repeat(32));
const backends = await storeBackends();

describe.each(backends)("gateway signer on $name", (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(() => db.close());

  it("makes one key for instances starting together, and reuses it afterwards", async () => {
    const [a, b] = await Promise.all([loadGatewaySigner(db, cipher, systemClock), loadGatewaySigner(db, cipher, systemClock)]);
    expect(a.kid).toBe(b.kid);
    const later = await loadGatewaySigner(db, cipher, systemClock);
    expect(later.kid).toBe(a.kid);
    const keys = await later.publicKeys();
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toMatchObject({ kid: a.kid, alg: "ES256", use: "sig", kty: "EC", crv: "P-256" });
    expect(keys.keys[0]).not.toHaveProperty("d");
    const stored = await db.query<{ private_jwk_ciphertext: string }>("SELECT private_jwk_ciphertext FROM signing_keys");
    expect(stored[0]!.private_jwk_ciphertext).toMatch(/^v1\./);
  });

  it("signs JSON that verifies offline against the key set, and not once a byte changes", async () => {
    const signer = await loadGatewaySigner(db, cipher, systemClock);
    const jws = await signer.sign({ consentId: "c-1", scopes: ["balances:read"] }, "bankgraph-receipt+jws");
    const keys = await signer.publicKeys();
    const verified = await verifyGatewayJws<{ consentId: string }>(jws, keys, "bankgraph-receipt+jws");
    expect(verified.payload.consentId).toBe("c-1");
    expect(verified.header.kid).toBe(signer.kid);
    const [header, payload, signature] = jws.split(".");
    const body = Buffer.from(payload!, "base64url").toString("utf8").replace("c-1", "c-2");
    const tampered = [header, Buffer.from(body).toString("base64url"), signature].join(".");
    await expect(verifyGatewayJws(tampered, keys)).rejects.toThrow(/signature/i);
    await expect(verifyGatewayJws(jws, keys, "other+jws")).rejects.toThrow(/expected a JWS of type other\+jws/);
  });
});
