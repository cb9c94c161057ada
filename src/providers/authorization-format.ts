/**
 * How one bank wants to be asked for access: the translation of Bankgraph's data scopes into the
 * bank's own authorization request (plain OAuth scopes, FDX `authorization_details`, or a UK Open
 * Banking account-access consent created first and then authorized by id). Each bank's table lives
 * in its folder (`src/providers/<bank>/authorization.ts`); the OAuth protocol itself (discovery,
 * PKCE, state, PAR, the code exchange, refresh) is the same for every bank and lives in
 * `src/links/bank-oauth/`.
 */
import type { Scope } from "../domain/consent.js";
import type { BankHttp } from "./bank-http.js";

/** What Bankgraph asks the bank for, in Bankgraph's terms. */
export interface AccessAsk {
  scopes: readonly Scope[];
  /** How far back the data may go, in days; absent = as far as the bank keeps. */
  historyDays?: number;
  /** When the bank's grant must end. */
  expiresAt: Date;
  now: Date;
}

/** What the bank-oauth client lends a format that must talk to the bank before the redirect. */
export interface AuthorizationTools {
  /** The bank's HTTP client (base URL, timeout, error mapping). */
  http: BankHttp;
  /** A client_credentials access token of Bankgraph's own at this bank, for these scopes. */
  clientCredentialsToken(scope: string): Promise<string>;
}

/** The bank-specific part of one authorization request. */
export interface PreparedAuthorization {
  /** Extra authorization-request parameters: `scope`, `authorization_details`, … */
  parameters: Record<string, string>;
  /** The bank's id of a consent created before the redirect (UK ConsentId), kept with the link. */
  bankGrantId?: string;
}

/**
 * Bankgraph's grant at a bank for one link, being revoked: the bank's consent id where it has one,
 * and the tokens in clear (held in memory for the one call, never logged).
 */
export interface GrantToRevoke {
  bankGrantId: string | null;
  accessToken: string | null;
  refreshToken: string | null;
}

/** What the bank-oauth client lends a format to revoke a grant. */
export interface RevocationTools extends AuthorizationTools {
  /** RFC 7009: revokes one token at the bank's revocation endpoint, authenticated as Bankgraph's client. */
  revokeToken(token: string, hint: "refresh_token" | "access_token"): Promise<void>;
  /** The `Authorization: Basic …` value of Bankgraph's client at this bank (client_secret_basic). */
  clientAuthorization(): string;
}

export interface BankAuthorizationFormat {
  /** Send the request through PAR (RFC 9126) instead of the front channel. */
  pushed: boolean;
  /** The bank-specific parameters of one request (and the bank's consent id, where it creates one first). */
  prepare(ask: AccessAsk, tools: AuthorizationTools): Promise<PreparedAuthorization>;
  /**
   * Tells the bank the grant has ended, its own way (FDX consent revocation, UK consent DELETE).
   * Absent: {@link revokeTokens} (RFC 7009). Resolves once the bank confirmed; throws otherwise.
   */
  revokeGrant?(grant: GrantToRevoke, tools: RevocationTools): Promise<void>;
}

/**
 * RFC 7009 revocation, what every bank without its own consent API gets: the refresh token, whose
 * revocation ends the grant and its access tokens with it (RFC 7009 §2.1); the access token only
 * when there is no refresh token.
 */
export async function revokeTokens(grant: GrantToRevoke, tools: RevocationTools): Promise<void> {
  if (grant.refreshToken) await tools.revokeToken(grant.refreshToken, "refresh_token");
  else if (grant.accessToken) await tools.revokeToken(grant.accessToken, "access_token");
}

/** The bank scopes for Bankgraph's scopes through one bank's table, plus `always`; scopes the bank has no word for are left out. */
export function bankScopes(table: Partial<Record<Scope, readonly string[]>>, scopes: readonly Scope[], always: readonly string[] = []): string {
  const found = new Set(always);
  for (const scope of scopes) for (const bankScope of table[scope] ?? []) found.add(bankScope);
  return [...found].join(" ");
}
