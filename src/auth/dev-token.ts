/** Mints HS256 dev tokens (`bankgraph token`). Refused in production: real tokens come from an IdP. */
import { SignJWT } from "jose";

export interface DevTokenOptions {
  userId: string;
  clientId: string;
  scopes?: string[];
  secret: string;
  issuer: string;
  audience: string;
  /** Lifetime in seconds. Default 3600. */
  expiresInSeconds?: number;
  now?: Date;
}

export async function mintDevToken(options: DevTokenOptions): Promise<string> {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ client_id: options.clientId, scope: (options.scopes ?? []).join(" ") })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.userId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
    .sign(new TextEncoder().encode(options.secret));
}
