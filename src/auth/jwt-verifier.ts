/**
 * Bearer token verification with `jose`. Dev: HS256 with a shared secret. Production: an RS/ES
 * public key or a JWKS URL. Issuer, audience and expiry are always checked; `alg: none` and any
 * algorithm other than the configured family are refused by jose's `algorithms` allow-list.
 */
import { webcrypto } from "node:crypto";
import { createLocalJWKSet, createRemoteJWKSet, importSPKI, jwtVerify, type JWTVerifyGetKey, type CryptoKey } from "jose";
import { BoundedMap } from "../bounded-map.js";
import { ErrorCode, GatewayError } from "../errors.js";
import type { Identity } from "./identity.js";

export interface JwtVerifierOptions {
  secret?: string;
  publicKeyPem?: string;
  jwksUrl?: string;
  /** A JWKS document, for tests. */
  jwks?: { keys: object[] };
  issuer: string;
  audience: string;
  /** Seconds of clock skew tolerated on exp/nbf. Default 30. */
  clockToleranceSeconds?: number;
}

export type TokenVerifier = (authorization: string | undefined) => Promise<Identity>;

const ASYMMETRIC = ["RS256", "PS256", "ES256", "EdDSA"];
const IDENTIFIER = /^[A-Za-z0-9_.:@-]{1,128}$/;

export const unauthenticated = (message: string) => new GatewayError(ErrorCode.UNAUTHENTICATED, message);

export async function createJwtVerifier(options: JwtVerifierOptions): Promise<TokenVerifier> {
  let key: CryptoKey | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.jwks) {
    key = createLocalJWKSet(options.jwks);
    algorithms = ASYMMETRIC;
  } else if (options.jwksUrl) {
    key = createRemoteJWKSet(new URL(options.jwksUrl));
    algorithms = ASYMMETRIC;
  } else if (options.publicKeyPem) {
    const alg = options.publicKeyPem.includes("EC PUBLIC") ? "ES256" : "RS256";
    key = await importSPKI(options.publicKeyPem, alg);
    algorithms = [alg];
  } else if (options.secret) {
    key = await importHmacKey(options.secret);
    algorithms = ["HS256"];
  } else {
    throw new Error("JWT verification needs a secret, a public key or a JWKS");
  }

  const toleranceSeconds = options.clockToleranceSeconds ?? 30;
  const verified = new VerifiedTokens();
  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(authorization?.trim() ?? "");
    if (!match?.[1]) throw unauthenticated("Missing or malformed bearer token");
    const token = match[1];
    const known = verified.get(token, toleranceSeconds);
    if (known) return known;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key as CryptoKey, {
        algorithms,
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: toleranceSeconds,
        requiredClaims: ["exp", "sub"],
      }));
    } catch {
      throw unauthenticated("Invalid or expired token");
    }
    const clientId = payload["client_id"];
    if (typeof payload.sub !== "string" || !IDENTIFIER.test(payload.sub)) throw unauthenticated("Token has no valid subject");
    if (typeof clientId !== "string" || !IDENTIFIER.test(clientId)) throw unauthenticated("Token has no valid client_id");
    const scope = typeof payload["scope"] === "string" ? payload["scope"] : "";
    const identity: Identity = {
      userId: payload.sub,
      clientId,
      tokenScopes: new Set(scope.split(" ").filter(Boolean)),
      expiresAt: new Date(payload.exp! * 1000),
    };
    verified.add(token, identity);
    return identity;
  };
}

/** How long a verified token is taken at its word without checking its signature again, at most. */
const VERIFIED_FOR_MS = 5 * 60_000;
const MAX_VERIFIED = 10_000;

/**
 * Tokens that passed verification, so an app's next requests with the same token skip the
 * signature (the bulk of a `{ __typename }`'s authentication). Only what cannot change for a given
 * token is remembered: the signature, issuer and audience held. The expiry is judged against the
 * clock on every use, as jose does; and each is dropped after 5 minutes, so a key removed from a
 * JWKS stops its tokens within that.
 */
class VerifiedTokens {
  private readonly entries = new BoundedMap<string, { identity: Identity; until: number }>(MAX_VERIFIED);

  get(token: string, toleranceSeconds: number): Identity | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    const now = Date.now();
    if (now < entry.until && entry.identity.expiresAt.getTime() + toleranceSeconds * 1000 > now) return entry.identity;
    this.entries.delete(token);
    return undefined;
  }

  add(token: string, identity: Identity): void {
    this.entries.set(token, { identity, until: Date.now() + VERIFIED_FOR_MS });
  }
}

/**
 * The HS256 secret as a WebCrypto key, imported once: given raw bytes, jose would import them
 * through WebCrypto again on every verification (~18% of a request's fixed CPU).
 */
async function importHmacKey(secret: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
}
