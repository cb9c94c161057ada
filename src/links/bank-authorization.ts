/**
 * The seam between the person's pages (src/web/, the connect flow, src/connect/) and Bankgraph as an OAuth 2
 * client of each bank (src/links/bank-oauth/). The pages own the connect session and the person's
 * browser; the bank-authorization service owns everything about talking to the bank: PKCE, state,
 * the `iss` check, the code exchange, the bank's tokens (encrypted) and their refresh.
 *
 * No bank password ever reaches Bankgraph: the person logs in on the bank's own page.
 */
import type { Scope } from "../domain/consent.js";
import type { Link } from "../domain/link.js";

/** What Bankgraph asks one bank for, on behalf of one person. */
export interface BankAuthorizationRequest {
  /** The signed-in person (Bankgraph user id, the IdP's `sub`). */
  userId: string;
  institutionId: string;
  /** Data scopes the person agreed to on the disclosure page; the service translates them to the bank's own format. */
  scopes: readonly Scope[];
  /** How far back the app may read (days), when the disclosure limited it. */
  historyDays?: number;
  /** When the bank's grant must end (the consent's end date): refresh tokens never outlive it. */
  expiresAt: Date;
  /** Where the bank sends the person back to: Bankgraph's callback URL for this flow (exactly as registered at the bank). */
  redirectUri: string;
}

/** The start of one bank authorization: send the person's browser to `authorizationUrl`. */
export interface BankAuthorizationStart {
  /** Server-side id of this attempt; the callback carries it back through `state`. */
  attemptId: string;
  authorizationUrl: string;
}

/** The query parameters of the bank's redirect back to Bankgraph (`code`, `state`, `iss`, or `error`). */
export type BankCallbackParams = URLSearchParams;

/** How one bank authorization ended. */
export type BankAuthorizationOutcome =
  | {
      status: "LINKED";
      link: Link;
      /** The bank's ids of the accounts the person chose to share there. */
      accountIds: string[];
      attemptId: string;
    }
  /** The person pressed Cancel at the bank (or the bank refused): `access_denied`. */
  | { status: "DENIED"; attemptId: string; error: string };

export interface BankAuthorization {
  /** Prepares PKCE (S256), state and (where the bank uses them) PAR / a bank-side consent, and returns the URL. */
  begin(request: BankAuthorizationRequest): Promise<BankAuthorizationStart>;
  /**
   * Completes the attempt named by `params.state` for `userId`: checks state (bound server-side,
   * single use), `iss`, exchanges the code with the PKCE verifier, stores the bank's tokens
   * encrypted and creates (or re-activates) the person's link. Throws a GatewayError with a clear
   * message for a wrong state, a wrong iss, a replayed code, an expired attempt; nothing is stored then.
   */
  complete(userId: string, params: BankCallbackParams): Promise<BankAuthorizationOutcome>;
}

/**
 * Bankgraph's callback for one bank, as registered there (one redirect URI per bank, so a bank's
 * answer can only arrive on its own path). `gatewayOrigin` is the gateway's public origin.
 */
export function bankCallbackUri(gatewayOrigin: string, institutionId: string): string {
  return `${gatewayOrigin.replace(/\/+$/, "")}/connect/callback/${encodeURIComponent(institutionId)}`;
}

/**
 * Where a bank pushes its security events for Bankgraph (RFC 8935), as registered there beside the
 * callback: one path per bank, so an event is verified against that bank's keys only.
 */
export function bankNotificationUri(gatewayOrigin: string, institutionId: string): string {
  return `${gatewayOrigin.replace(/\/+$/, "")}/bank-notifications/${encodeURIComponent(institutionId)}`;
}

/**
 * Whoever completes a bank's own pages for the person (a browser, in tests and the demo seed the
 * mocks' HTTP driver): given the authorization URL, returns the bank's redirect back to `redirectUri`.
 */
export type PersonAtBank = (authorizationUrl: string, redirectUri: string) => Promise<URL>;

/** One whole authorization: begin, the person at the bank, complete. */
export async function authorizeThroughBank(
  authorization: BankAuthorization,
  person: PersonAtBank,
  request: BankAuthorizationRequest,
): Promise<BankAuthorizationOutcome> {
  const { authorizationUrl } = await authorization.begin(request);
  const back = await person(authorizationUrl, request.redirectUri);
  return authorization.complete(request.userId, back.searchParams);
}
