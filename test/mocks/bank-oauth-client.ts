/**
 * The test's own OAuth client of a mock bank, built on oauth4webapi (a real, strict client: it
 * checks `iss` and `state` in the authorization response, PKCE S256, token responses). One call
 * runs the whole code flow with the person driven through the bank's pages by `authorizeAsPerson`.
 */
import * as oauth from "oauth4webapi";
import type { MockBankServer } from "../../mocks/mock-bank-server.js";
import { authorizeAsPerson, type BankRedirect, type PersonAtBankOptions } from "../../mocks/oauth/person-at-bank.js";
import { DEV_CLIENT_ID, devClientSecret, devClientFor } from "../../mocks/oauth/registered-clients.js";

export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export interface BankClient {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  redirectUri: string;
}

export async function bankClient(bank: MockBankServer): Promise<BankClient> {
  const issuer = new URL(bank.url);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }));
  return {
    as,
    client: { client_id: DEV_CLIENT_ID },
    auth: oauth.ClientSecretBasic(devClientSecret(bank.id)),
    redirectUri: devClientFor(bank.id).redirectUris[0]!,
  };
}

export interface Started {
  authorizationUrl: string;
  state: string;
  verifier: string;
}

/** Pushes the request (PAR) with PKCE S256 and a state, and returns the URL to send the person to. */
export async function startAuthorization(c: BankClient, request: Record<string, string>): Promise<Started> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const params = {
    response_type: "code",
    redirect_uri: c.redirectUri,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...request,
  };
  const par = await oauth.processPushedAuthorizationResponse(c.as, c.client, await oauth.pushedAuthorizationRequest(c.as, c.client, c.auth, params, insecure));
  const url = new URL(c.as.authorization_endpoint!);
  url.searchParams.set("client_id", c.client.client_id);
  url.searchParams.set("request_uri", par.request_uri);
  return { authorizationUrl: url.href, state, verifier };
}

export type Person = Omit<PersonAtBankOptions, "authorizationUrl" | "redirectUri">;
export const ALICE: Person = { username: "alice", password: "pass_good" };

/** Runs the person through the bank's pages; returns the bank's redirect. */
export function visitBank(c: BankClient, started: Started, person: Person = ALICE): Promise<BankRedirect> {
  return authorizeAsPerson({ ...person, authorizationUrl: started.authorizationUrl, redirectUri: c.redirectUri });
}

/** Validates the redirect (iss, state) and redeems the code with the PKCE verifier. */
export async function redeem(c: BankClient, started: Started, redirect: BankRedirect, verifier = started.verifier): Promise<oauth.TokenEndpointResponse> {
  const params = oauth.validateAuthResponse(c.as, c.client, redirect.location, started.state);
  const response = await oauth.authorizationCodeGrantRequest(c.as, c.client, c.auth, params, c.redirectUri, verifier, insecure);
  return oauth.processAuthorizationCodeResponse(c.as, c.client, response);
}

/** The whole flow: PAR, the person at the bank, code redemption. */
export async function connect(
  c: BankClient,
  request: Record<string, string>,
  person: Person = ALICE,
): Promise<{ tokens: oauth.TokenEndpointResponse; redirect: BankRedirect }> {
  const started = await startAuthorization(c, request);
  const redirect = await visitBank(c, started, person);
  return { tokens: await redeem(c, started, redirect), redirect };
}

export async function refresh(c: BankClient, refreshToken: string): Promise<oauth.TokenEndpointResponse> {
  return oauth.processRefreshTokenResponse(c.as, c.client, await oauth.refreshTokenGrantRequest(c.as, c.client, c.auth, refreshToken, insecure));
}

/** A data call with a bearer token: status and parsed body. */
export async function read(bank: MockBankServer, path: string, token: string, json?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(bank.url + path, {
    method: json === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, ...(json === undefined ? {} : { "content-type": "application/json" }) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
