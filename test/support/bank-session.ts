/**
 * A bank session for an adapter's own tests (and the bench baselines): the bank's access token of
 * a real OAuth grant, obtained exactly as Bankgraph would ask for it — the bank's request format
 * from its provider folder (`src/providers/<bank>/authorization.ts`), PKCE and PAR through
 * oauth4webapi, the person at the bank's own pages through the mocks' HTTP driver — but without a
 * gateway or a store. The mock bank's dev registration of Bankgraph is the client.
 */
import * as oauth from "oauth4webapi";
import { DEFAULT_PASSWORD } from "../../mocks/data/catalog.js";
import { authorizeAsPerson, type OfferedAccount } from "../../mocks/oauth/person-at-bank.js";
import { devClientFor } from "../../mocks/oauth/registered-clients.js";
import { DAY_MS } from "../../src/clock.js";
import type { Scope } from "../../src/domain/consent.js";
import { devBankClient } from "../../src/links/bank-oauth/bank-oauth-clients.js";
import { createBankHttp } from "../../src/providers/bank-http.js";
import type { BankSession } from "../../src/providers/contract.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";

const insecure = { [oauth.allowInsecureRequests]: true } as const;

export interface BankSessionOptions {
  /** Who logs in at the bank (default alice). */
  username?: string;
  /** Bankgraph scopes asked (default all the bank offers). */
  scopes?: Scope[];
  /** Which offered accounts stay ticked (default all). */
  chooseAccounts?: (offered: OfferedAccount[]) => string[];
}

export interface GrantedSession extends BankSession {
  refreshToken: string | undefined;
}

/** One grant at the bank listening at `baseUrl` with id `institutionId`. */
export async function bankSession(institutionId: string, baseUrl: string, options: BankSessionOptions = {}): Promise<GrantedSession> {
  const module = PROVIDER_MODULES.find((m) => m.id === institutionId);
  if (!module) throw new Error(`No provider ${institutionId}`);
  const issuer = new URL(baseUrl);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const credentials = devBankClient(institutionId);
  const client: oauth.Client = { client_id: credentials.clientId };
  const auth = oauth.ClientSecretBasic(credentials.clientSecret);
  const redirectUri = devClientFor(institutionId).redirectUris[0]!;
  const now = new Date();
  const http = createBankHttp({ institutionId, institutionName: module.name, baseUrl, timeoutMs: 5000 });
  const prepared = await module.authorization.prepare(
    {
      scopes: options.scopes ?? ["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read"],
      expiresAt: new Date(now.getTime() + 90 * DAY_MS),
      now,
    },
    {
      http,
      clientCredentialsToken: async (scope) =>
        (await oauth.processClientCredentialsResponse(as, client, await oauth.clientCredentialsGrantRequest(as, client, auth, { scope }, insecure)))
          .access_token,
    },
  );
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const parameters = {
    response_type: "code",
    redirect_uri: redirectUri,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...prepared.parameters,
  };
  const pushed = await oauth.processPushedAuthorizationResponse(as, client, await oauth.pushedAuthorizationRequest(as, client, auth, parameters, insecure));
  const url = new URL(as.authorization_endpoint!);
  url.searchParams.set("client_id", client.client_id);
  url.searchParams.set("request_uri", pushed.request_uri);
  const back = await authorizeAsPerson({
    authorizationUrl: url.href,
    redirectUri,
    username: options.username ?? "alice",
    password: DEFAULT_PASSWORD,
    ...(options.chooseAccounts ? { chooseAccounts: options.chooseAccounts } : {}),
  });
  const answer = oauth.validateAuthResponse(as, client, back.location, state);
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, auth, answer, redirectUri, verifier, insecure),
  );
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}
