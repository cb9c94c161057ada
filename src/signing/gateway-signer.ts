/**
 * The gateway's signature: ES256 JWS over JSON (consent receipts, the access log's signed heads),
 * verifiable by anyone against the public key set the gateway publishes at /.well-known/jwks.json.
 *
 * The key pair lives in the store (migration 007, private half encrypted with TokenCipher): the
 * first instance to start on an empty store makes it, under a table lock so two instances starting
 * together agree on one key; every later start reuses the newest. Keys are never deleted, so old
 * signatures keep verifying.
 */
import { CompactSign, compactVerify, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, type JSONWebKeySet } from "jose";
import { createHash } from "node:crypto";
import type { Clock } from "../clock.js";
import type { Database, Queryable } from "../store/database.js";
import type { TokenCipher } from "../store/token-cipher.js";

export const SIGNING_ALG = "ES256";

/** A verified JWS: its protected header and its JSON payload. */
export interface VerifiedJws<T> {
  header: { alg: string; kid?: string; typ?: string };
  payload: T;
}

/** Signs JSON as compact JWS with the gateway's current key. */
export interface GatewaySigner {
  /** The key id of the key that signs now. */
  readonly kid: string;
  /** Compact JWS (ES256, `kid`, and the given `typ`) over the JSON of `payload`. */
  sign(payload: object, typ: string): Promise<string>;
  /** Every public key the gateway has signed with: what /.well-known/jwks.json serves. */
  publicKeys(): Promise<JSONWebKeySet>;
}

interface KeyRow {
  kid: string;
  public_jwk: JWK;
  private_jwk_ciphertext: string;
}

/** Loads the newest signing key from the store, making the first one if there is none. */
export async function loadGatewaySigner(db: Database, cipher: TokenCipher, clock: Clock): Promise<GatewaySigner> {
  const row = await db.transaction(async (tx) => {
    await tx.query("LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE");
    const [newest] = await tx.query<KeyRow>("SELECT kid, public_jwk, private_jwk_ciphertext FROM signing_keys ORDER BY created_at DESC LIMIT 1");
    if (newest) return newest;
    const made = await newKeyRow(cipher);
    await tx.query("INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk_ciphertext, created_at) VALUES ($1, $2, $3::jsonb, $4, $5)", [
      made.kid,
      SIGNING_ALG,
      JSON.stringify(made.public_jwk),
      made.private_jwk_ciphertext,
      clock.now(),
    ]);
    return made;
  });
  const privateKey = await importJWK(JSON.parse(cipher.decrypt(row.private_jwk_ciphertext)) as JWK, SIGNING_ALG);
  const encoder = new TextEncoder();
  return {
    kid: row.kid,
    sign: (payload, typ) =>
      new CompactSign(encoder.encode(JSON.stringify(payload))).setProtectedHeader({ alg: SIGNING_ALG, kid: row.kid, typ }).sign(privateKey),
    publicKeys: () => publishedSigningKeys(db),
  };
}

/**
 * Every public key the gateway has signed with, newest first, read from the store without the
 * private halves (no TOKEN_ENCRYPTION_KEY needed): what verifiers such as `bankgraph verify-access-log` use.
 */
export async function publishedSigningKeys(db: Queryable): Promise<JSONWebKeySet> {
  const all = await db.query<{ public_jwk: JWK }>("SELECT public_jwk FROM signing_keys ORDER BY created_at DESC");
  return { keys: all.map((r) => r.public_jwk) };
}

/**
 * Verifies a compact JWS against a published key set (offline: no network). Throws (jose's
 * errors) when the signature, the algorithm or the key id does not check out, or the payload is not JSON.
 */
export async function verifyGatewayJws<T>(jws: string, keys: JSONWebKeySet, expectedTyp?: string): Promise<VerifiedJws<T>> {
  const { payload, protectedHeader } = await compactVerify(jws, createLocalJWKSet(keys), { algorithms: [SIGNING_ALG] });
  if (expectedTyp !== undefined && protectedHeader.typ !== expectedTyp)
    throw new Error(`expected a JWS of type ${expectedTyp}, got ${protectedHeader.typ ?? "none"}`);
  return { header: protectedHeader, payload: JSON.parse(new TextDecoder().decode(payload)) as T };
}

async function newKeyRow(cipher: TokenCipher): Promise<KeyRow> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  // RFC 7638-style thumbprint of the public key as the key id: stable, and names the key, not a row.
  const kid = createHash("sha256")
    .update(JSON.stringify({ crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x, y: publicJwk.y }))
    .digest("base64url");
  return {
    kid,
    public_jwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: "sig" },
    private_jwk_ciphertext: cipher.encrypt(JSON.stringify(await exportJWK(privateKey))),
  };
}
