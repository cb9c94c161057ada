/**
 * How a bank tells a client that access ended on the bank's side: a Security Event Token (RFC 8417)
 * signed with the bank's own key — the one its authorization server publishes at `jwks_uri`, so the
 * client verifies it with what it already trusts for this issuer, and no shared secret exists.
 *
 * The event is CAEP 1.0 `session-revoked`. RISC's older `tokens-revoked` / `sessions-revoked` were
 * dropped from the RISC profile in favour of it; a bank grant is the long-lived "session" between the
 * person, the bank and the client, and CAEP's common fields say who ended it (`initiating_entity`)
 * and why, for an administrator and for the person. The subject (`sub_id`, Shared Signals 1.0) is
 * the bank's consent id in the `opaque` format: the id the client was given as `grant_id` in the token
 * response (FAPI Grant Management), so it maps the event to its own link without learning who the
 * customer is at the bank.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { importJWK, SignJWT, type JWK } from "jose";

/** CAEP 1.0: the session (here: the bank grant) was revoked. */
export const SESSION_REVOKED_EVENT = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
/** RFC 8417 §2.3: the `typ` header of a SET. */
export const SET_TYPE = "secevent+jwt";
/** RFC 8935: the media type of a pushed SET. */
export const SET_MEDIA_TYPE = "application/secevent+jwt";
const ALGORITHM = "ES256";

/** A bank's signing key: the private JWK its provider publishes (public half) and signs with. */
export interface BankSigningKey {
  /** Private JWK with `kid`, `alg` and `use`; oidc-provider publishes its public half. */
  jwk: JWK;
}

/** A fresh P-256 key for one bank (kept for the life of the bank's process, like its provider). */
export function createBankSigningKey(): BankSigningKey {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" }) as JWK;
  return { jwk: { ...jwk, kid: randomUUID(), alg: ALGORITHM, use: "sig" } };
}

/** What one revocation notice says. */
export interface GrantRevokedNotice {
  /** The bank's issuer (its origin). */
  issuer: string;
  /** The client being told (its client id at the bank). */
  audience: string;
  /** The bank's consent id (`grant_id` in the client's token response). */
  consentId: string;
  /** Who ended it: the person on the connected-apps page, or the bank. */
  initiatingEntity: "user" | "admin" | "policy" | "system";
  /** When access ended. */
  revokedAt: Date;
  /** Shown to an administrator at the client. */
  reasonAdmin: string;
  /** Could be shown to the person. */
  reasonUser: string;
}

/** The signed SET of a notice, and its `jti`. */
export async function signGrantRevoked(key: BankSigningKey, notice: GrantRevokedNotice, now = new Date()): Promise<{ jti: string; set: string }> {
  const jti = randomUUID();
  const set = await new SignJWT({
    sub_id: { format: "opaque", id: notice.consentId },
    events: {
      [SESSION_REVOKED_EVENT]: {
        event_timestamp: Math.floor(notice.revokedAt.getTime() / 1000),
        initiating_entity: notice.initiatingEntity,
        reason_admin: { en: notice.reasonAdmin },
        reason_user: { en: notice.reasonUser },
      },
    },
  })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.jwk.kid!, typ: SET_TYPE })
    .setIssuer(notice.issuer)
    .setAudience(notice.audience)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setJti(jti)
    .sign(await importJWK(key.jwk, ALGORITHM));
  return { jti, set };
}
