/**
 * Bankgraph as an OpenID Connect client of the person's identity provider (oauth4webapi):
 * authorization code + PKCE (S256), `state` and `nonce` bound to the page session, the RFC 9207
 * `iss` response parameter checked where the provider announces it, ID token validated.
 */
import * as oauth from "oauth4webapi";

export interface IdentityClientOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** `<public URL>/signin/callback`, exactly as registered at the provider. */
  redirectUri: string;
  /** http:// issuers are accepted only outside production (the in-process mock). */
  allowHttp: boolean;
}

/** One sign-in started: send the browser to `url`; keep the rest in the session. */
export interface SignInStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Who signed in: the person's `sub`, and their time zone when the provider tells it (the OIDC `zoneinfo` claim). */
export interface SignedInPerson {
  sub: string;
  zoneinfo: string | null;
}

/** Why a sign-in callback was refused: `cancelled` when the person pressed Cancel at the provider. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly reason: "cancelled" | "refused",
  ) {
    super(message);
    this.name = "SignInError";
  }
}

export class IdentityClient {
  private server: Promise<oauth.AuthorizationServer> | undefined;
  private readonly client: oauth.Client;
  private readonly http: { [oauth.allowInsecureRequests]?: boolean };

  constructor(private readonly options: IdentityClientOptions) {
    this.client = { client_id: options.clientId };
    this.http = options.allowHttp ? { [oauth.allowInsecureRequests]: true } : {};
  }

  /** Discovery, once; a failure is retried on the next sign-in. */
  private discover(): Promise<oauth.AuthorizationServer> {
    const issuer = new URL(this.options.issuer);
    this.server ??= oauth
      .discoveryRequest(issuer, { algorithm: "oidc", ...this.http })
      .then((response) => oauth.processDiscoveryResponse(issuer, response))
      .catch((error: unknown) => {
        this.server = undefined;
        throw error;
      });
    return this.server;
  }

  async start(): Promise<SignInStart> {
    const as = await this.discover();
    if (!as.authorization_endpoint) throw new Error("The identity provider has no authorization endpoint");
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.options.clientId,
      redirect_uri: this.options.redirectUri,
      response_type: "code",
      scope: "openid profile",
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
    }).toString();
    return { url: url.href, state, nonce, codeVerifier };
  }

  /**
   * The person's `zoneinfo` from the UserInfo endpoint: a provider that follows OIDC Core 5.4 puts
   * profile claims there, not in the ID token, when it also issued an access token. Null if none.
   */
  private async userInfoZone(as: oauth.AuthorizationServer, accessToken: string, sub: string): Promise<string | null> {
    if (!as.userinfo_endpoint) return null;
    try {
      const response = await oauth.userInfoRequest(as, this.client, accessToken, this.http);
      return zoneinfoOf(await oauth.processUserInfoResponse(as, this.client, sub, response));
    } catch {
      // Times then show in UTC (the person can choose their zone): a sign-in never fails for it.
      return null;
    }
  }

  /** Checks the callback against what the session kept and redeems the code; returns the person's `sub`. */
  async complete(callback: URL, expected: { state: string; nonce: string; codeVerifier: string }): Promise<SignedInPerson> {
    const as = await this.discover();
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(as, this.client, callback, expected.state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError && error.error === "access_denied") {
        throw new SignInError("You cancelled the sign-in.", "cancelled");
      }
      throw new SignInError("The sign-in answer did not match the one we started (state or issuer). Nothing was done.", "refused");
    }
    try {
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        this.client,
        oauth.ClientSecretBasic(this.options.clientSecret),
        params,
        this.options.redirectUri,
        expected.codeVerifier,
        this.http,
      );
      const result = await oauth.processAuthorizationCodeResponse(as, this.client, response, { expectedNonce: expected.nonce, requireIdToken: true });
      const claims = oauth.getValidatedIdTokenClaims(result);
      if (!claims?.sub) throw new Error("no subject");
      return { sub: claims.sub, zoneinfo: zoneinfoOf(claims) ?? (await this.userInfoZone(as, result.access_token, claims.sub)) };
    } catch {
      throw new SignInError("The identity provider did not confirm the sign-in. Nothing was done.", "refused");
    }
  }
}

const zoneinfoOf = (claims: Record<string, unknown>): string | null => (typeof claims["zoneinfo"] === "string" ? claims["zoneinfo"] : null);
