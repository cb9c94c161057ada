/**
 * One bank's OAuth 2 authorization server (oidc-provider): authorization code + PKCE S256 only,
 * `iss` in the authorization response, PAR, refresh tokens rotated on every use, RFC 7009
 * revocation, client_secret_basic. Per style: plain scopes; FDX `authorization_details` (RAR,
 * type fdx_v1.0); UK consents authorized by `openbanking_intent_id` after a client-credentials
 * token created them. Token lifetimes follow the bank consent (bank-consents.ts). Every token
 * response carries `grant_id` (FAPI Grant Management): the bank consent's id, which the bank's
 * security events (security-events.ts) name as their subject.
 */
import Provider, { errors, type AdapterPayload, type Configuration, type KoaContextWithOIDC } from "oidc-provider";
import type { BankAuthorization } from "./bank-authorization.js";
import { BankConsents } from "./bank-consents.js";
import { validateFdxDetail } from "./fdx-request.js";
import type { OAuthState } from "./oauth-state.js";
import type { ClientRegistration, RegisteredClients } from "./registered-clients.js";
import type { BankSigningKey } from "./security-events.js";

/** Where the provider's endpoints live on the bank's origin (the bank's data routes keep theirs). */
export const OAUTH_ROUTES = {
  authorization: "/oauth/authorize",
  token: "/oauth/token",
  pushed_authorization_request: "/oauth/par",
  revocation: "/oauth/revoke",
  jwks: "/oauth/jwks",
  userinfo: "/oauth/userinfo",
  end_session: "/oauth/logout",
} as const;

/** The FDX bank's data API, the resource its RAR tokens are for. */
export const FDX_RESOURCE_PATH = "/fdx/v6";
export const GRANT_MAX_SECONDS = 365 * 86_400;
/** UK-style authorization requests name the consent they authorize with this parameter. */
export const UK_CONSENT_PARAM = "openbanking_intent_id";

export interface BankProviderOptions {
  issuer: string;
  bankId: string;
  authorization: BankAuthorization;
  state: OAuthState;
  clients: RegisteredClients;
  consents: BankConsents;
  accessTokenSeconds: number;
  /** The bank's signing key (ID tokens, security events), published at its jwks_uri. */
  signingKey: BankSigningKey;
  customerExists(id: string): boolean;
  /** Renders oidc-provider's error page in the bank's look. */
  renderError(ctx: KoaContextWithOIDC, error: { error: string; error_description?: string }): void;
}

/** oidc-provider client metadata for one registration at a bank of this style. */
export function clientMetadataFor(authorization: BankAuthorization): (client: ClientRegistration) => AdapterPayload {
  return (client) => ({
    client_id: client.clientId,
    client_secret: client.clientSecret,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    response_types: ["code"],
    grant_types: ["authorization_code", "refresh_token", ...(authorization.style === "uk" ? ["client_credentials"] : [])],
    token_endpoint_auth_method: "client_secret_basic",
    id_token_signed_response_alg: "ES256",
    ...(authorization.style === "fdx" ? { authorization_details_types: ["fdx_v1.0"] } : {}),
  });
}

export function createBankProvider(options: BankProviderOptions): Provider {
  const { authorization, consents } = options;
  const consentOfGrant = (grantId: string | undefined) => (grantId ? consents.byGrant(grantId) : undefined);
  const scopes = authorization.style === "scopes" ? Object.keys(authorization.scopes) : authorization.style === "uk" ? [authorization.scope] : ["fdx"];
  const configuration: Configuration = {
    adapter: (model: string) => options.state.adapterFor(model, (id) => options.clients.metadata(id)),
    clientAuthMethods: ["client_secret_basic"],
    responseTypes: ["code"],
    pkce: { required: () => true },
    scopes,
    claims: { openid: ["sub"] },
    routes: OAUTH_ROUTES,
    cookies: { keys: [`mock-bank-cookie-key:${options.bankId}`] },
    jwks: { keys: [options.signingKey.jwk] },
    findAccount: (_ctx, sub) => (options.customerExists(sub) ? { accountId: sub, claims: () => ({ sub }) } : undefined),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Every authorization asks the person again and makes its own grant (one bank consent each).
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    expiresWithSession: async () => false,
    rotateRefreshToken: true,
    ttl: {
      AccessToken: (_ctx, token) => {
        const consent = consentOfGrant(token.grantId);
        return consent ? Math.min(options.accessTokenSeconds, BankConsents.secondsLeft(consent)) : options.accessTokenSeconds;
      },
      RefreshToken: (_ctx, token) => {
        const consent = consentOfGrant(token.grantId);
        return consent ? BankConsents.secondsLeft(consent) : 60;
      },
      ClientCredentials: 600,
      AuthorizationCode: 60,
      Grant: GRANT_MAX_SECONDS,
      Interaction: 3600,
      Session: 3600,
    },
    extraParams:
      authorization.style === "uk"
        ? {
            [UK_CONSENT_PARAM]: async (ctx, value, client) => {
              if (ctx.oidc.route !== "authorization" && ctx.oidc.route !== "pushed_authorization_request") return;
              const consent = typeof value === "string" ? consents.get(value) : undefined;
              if (!consent || consent.clientId !== client.clientId || consent.status !== "AwaitingAuthorisation") {
                throw new errors.InvalidRequest(`${UK_CONSENT_PARAM} must name an account-access consent of this client awaiting authorisation`);
              }
            },
          }
        : {},
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: true },
      // RFC 7009: a client may revoke only its own tokens.
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      clientCredentials: { enabled: authorization.style === "uk" },
      // oidc-provider ties RAR to a resource server: the FDX bank's data API is the one (default) resource.
      resourceIndicators:
        authorization.style === "fdx"
          ? {
              enabled: true,
              defaultResource: () => `${options.issuer}${FDX_RESOURCE_PATH}`,
              useGrantedResource: () => true,
              getResourceServerInfo: (_ctx, resource) => {
                if (resource !== `${options.issuer}${FDX_RESOURCE_PATH}`) throw new errors.InvalidTarget();
                return { scope: "fdx", accessTokenFormat: "opaque", audience: resource };
              },
            }
          : { enabled: false },
      richAuthorizationRequests:
        authorization.style === "fdx"
          ? {
              enabled: true,
              types: { "fdx_v1.0": { validate: (_ctx, detail) => validateFdxDetail(detail, authorization.clusters) } },
              authorizationDetailsForGrantSource: (ctx) => ctx.oidc.grant?.rar ?? [],
              // FDX: the token response names the consent (its id is what the client revokes later).
              authorizationDetailsForAccessToken: (_ctx, token, source) => {
                const consentId = "grantId" in token ? consentOfGrant(token.grantId)?.id : undefined;
                return (source?.rar ?? []).map((detail) => (consentId ? { ...detail, consentId } : detail));
              },
              authorizationDetailsForIntrospection: (_ctx, token) => token.rar ?? [],
            }
          : { enabled: false },
    },
    renderError: async (ctx, out) => options.renderError(ctx, out),
  };
  const provider = new Provider(options.issuer, configuration);
  // Grant Management's `grant_id`: the client keeps it and so knows which of its grants a bank event is about.
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as Partial<KoaContextWithOIDC>).oidc;
    const grantId = oidc?.route === "token" ? oidc.entities.Grant?.jti : undefined;
    const body = ctx.body as Record<string, unknown> | undefined;
    const consent = grantId ? consents.byGrant(grantId) : undefined;
    if (consent && body && typeof body === "object" && typeof body.access_token === "string") body.grant_id = consent.id;
  });
  return provider;
}
