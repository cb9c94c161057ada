/**
 * A plain-scopes bank (Wells Fargo) as an OAuth 2 authorization server over real HTTP, with a real
 * client (oauth4webapi) and the person driven through the bank's own pages: discovery, the code
 * flow, the consent page's play-back, and the refusals and controls — PKCE, code replay, redirect
 * URI, rotation, expiry, revocation, account narrowing, scope enforcement, Cancel on every page,
 * the token-call counter.
 */
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { MockBankServer } from "../../mocks/mock-bank-server.js";
import { DEV_CLIENT_ID, devClientSecret } from "../../mocks/oauth/registered-clients.js";
import { ALICE, type BankClient, bankClient, connect, insecure, read, redeem, refresh, startAuthorization, visitBank } from "../support/bank-oauth-client.js";

const ID = "wells_fargo";
const ALL_SCOPES = "accounts balances transactions customers";
let cluster: MockCluster;
let bank: MockBankServer;
let c: BankClient;

beforeAll(async () => {
  cluster = await startMockCluster({ banks: [ID], accessTokenSeconds: 60 });
  bank = cluster.bank(ID);
  c = await bankClient(bank);
});
beforeEach(() => bank.resetCallCounts());
afterAll(async () => {
  await cluster?.close();
});

async function tokenError(response: Promise<unknown>): Promise<string> {
  const error = await response.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(oauth.ResponseBodyError);
  return (error as oauth.ResponseBodyError).error;
}

describe("Wells Fargo's authorization server", () => {
  it("publishes discovery at its own origin: code + PKCE S256 only, iss, PAR, revocation, client_secret_basic", async () => {
    expect(c.as.issuer).toBe(bank.url);
    expect(c.as.response_types_supported).toEqual(["code"]);
    expect(c.as.code_challenge_methods_supported).toEqual(["S256"]);
    expect(c.as.authorization_response_iss_parameter_supported).toBe(true);
    expect(c.as.pushed_authorization_request_endpoint).toBe(`${bank.url}/oauth/par`);
    expect(c.as.revocation_endpoint).toBe(`${bank.url}/oauth/revoke`);
    expect(c.as.token_endpoint_auth_methods_supported).toEqual(["client_secret_basic"]);
    expect(c.as.grant_types_supported).not.toContain("password");
    expect(c.as.grant_types_supported).not.toContain("implicit");
    expect(c.as.scopes_supported).toEqual(expect.arrayContaining(ALL_SCOPES.split(" ")));
  });

  it("runs the code flow through the bank's pages and the token reads the data", async () => {
    const { tokens, redirect } = await connect(c, { scope: ALL_SCOPES });
    expect(redirect.pages.map((p) => p.step)).toEqual(["login", "allow", "accounts"]);
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.expires_in).toBeLessThanOrEqual(60);
    expect(tokens.refresh_token).toBeTruthy();
    const accounts = await read(bank, "/v2/accounts", tokens.access_token);
    expect(accounts.status).toBe(200);
    expect(accounts.body.accounts.length).toBe(bank.data.accountsOf("alice").length);
  });

  it("plays the request back on the consent page: who, what, until when; no password on any page", async () => {
    const started = await startAuthorization(c, { scope: "accounts transactions" });
    const redirect = await visitBank(c, started);
    const consent = redirect.pages.find((p) => p.step === "allow")!.html;
    expect(consent).toContain("Bankgraph");
    expect(consent).toContain("Your transactions");
    expect(consent).not.toContain("Your account balances");
    expect(consent).toMatch(/Access ends on \w+ \d+, \d{4}/);
    for (const page of redirect.pages) {
      expect(page.html).not.toContain(ALICE.password);
      expect(page.html).toMatch(/Content|<!doctype html>/);
    }
  });
});

describe("code and PKCE", () => {
  it("refuses a wrong PKCE verifier, then the code is spent", async () => {
    const started = await startAuthorization(c, { scope: "accounts" });
    const redirect = await visitBank(c, started);
    expect(await tokenError(redeem(c, started, redirect, oauth.generateRandomCodeVerifier()))).toBe("invalid_grant");
  });

  it("refuses a replayed code", async () => {
    const started = await startAuthorization(c, { scope: "accounts" });
    const redirect = await visitBank(c, started);
    await redeem(c, started, redirect);
    expect(await tokenError(redeem(c, started, redirect))).toBe("invalid_grant");
  });

  it("refuses a redirect_uri that is not exactly registered", async () => {
    const error = await startAuthorization({ ...c, redirectUri: `${c.redirectUri}/other` }, { scope: "accounts" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect((error as oauth.ResponseBodyError).cause).toMatchObject({ error: "invalid_request", error_description: expect.stringContaining("redirect_uri") });
  });

  it("registering the same client again adds its redirect URIs (each matched exactly); another secret is refused", async () => {
    const second = `http://127.0.0.1:4555/connect/callback/${ID}`;
    bank.registerClient({ clientId: DEV_CLIENT_ID, clientSecret: devClientSecret(ID), redirectUris: [second], name: "Bankgraph" });
    // Both gateways' callbacks now work: the first registration was kept, the second added.
    for (const redirectUri of [c.redirectUri, second]) {
      const { tokens } = await connect({ ...c, redirectUri }, { scope: "accounts" });
      expect((await read(bank, "/v2/accounts", tokens.access_token)).status).toBe(200);
    }
    const near = await startAuthorization({ ...c, redirectUri: `${second}/` }, { scope: "accounts" }).catch((e: unknown) => e);
    expect((near as oauth.ResponseBodyError).cause).toMatchObject({ error: "invalid_request", error_description: expect.stringContaining("redirect_uri") });
    const stranger = "https://attacker.example/callback";
    expect(() =>
      bank.registerClient({ clientId: DEV_CLIENT_ID, clientSecret: "someone-elses-secret-0123456789", redirectUris: [stranger], name: "Bankgraph" }),
    ).toThrow(/another secret/);
    const refused = await startAuthorization({ ...c, redirectUri: stranger }, { scope: "accounts" }).catch((e: unknown) => e);
    expect((refused as oauth.ResponseBodyError).cause).toMatchObject({ error: "invalid_request", error_description: expect.stringContaining("redirect_uri") });
  });

  it("refuses the plain PKCE method and a request without PKCE", async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const base = { response_type: "code", redirect_uri: c.redirectUri, scope: "accounts", state: "s" };
    const plain = await oauth.pushedAuthorizationRequest(
      c.as,
      c.client,
      c.auth,
      { ...base, code_challenge: verifier, code_challenge_method: "plain" },
      insecure,
    );
    expect(plain.status).toBe(400);
    const none = await oauth.pushedAuthorizationRequest(c.as, c.client, c.auth, base, insecure);
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: string }).error).toBe("invalid_request");
  });

  it("refuses the implicit flow and the password grant", async () => {
    const implicit = await oauth.pushedAuthorizationRequest(
      c.as,
      c.client,
      c.auth,
      { response_type: "token", redirect_uri: c.redirectUri, scope: "accounts" },
      insecure,
    );
    expect(implicit.status).toBe(400);
    const password = await fetch(c.as.token_endpoint!, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${DEV_CLIENT_ID}:${devClientSecret(ID)}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ grant_type: "password", username: "alice", password: "pass_good" }),
    });
    expect(password.status).toBe(400);
    expect(((await password.json()) as { error: string }).error).toBe("unsupported_grant_type");
  });
});

describe("tokens", () => {
  it("rotates the refresh token on every use and refuses the old one; the bank saw exactly one refresh per call", async () => {
    const { tokens } = await connect(c, { scope: ALL_SCOPES });
    bank.resetCallCounts();
    const second = await refresh(c, tokens.refresh_token!);
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(tokens.refresh_token);
    expect(bank.tokenCallCounts()).toEqual({ refresh_token: 1 });
    expect(await tokenError(refresh(c, tokens.refresh_token!))).toBe("invalid_grant");
    expect(bank.tokenCallCounts()).toEqual({ refresh_token: 2 });
  });

  it("answers an expired access token with 401 in the bank's format; a refresh gives a working one", async () => {
    const { tokens } = await connect(c, { scope: ALL_SCOPES });
    expect((await read(bank, "/v2/accounts", tokens.access_token)).status).toBe(200);
    bank.expireAccessTokens();
    const expired = await read(bank, "/v2/accounts", tokens.access_token);
    expect(expired).toEqual({ status: 401, body: { error: { code: "INVALID_TOKEN", message: expect.any(String) } } });
    const renewed = await refresh(c, tokens.refresh_token!);
    expect((await read(bank, "/v2/accounts", renewed.access_token)).status).toBe(200);
  });

  it("revokes a refresh token at the RFC 7009 endpoint: the grant's tokens stop working", async () => {
    const { tokens } = await connect(c, { scope: ALL_SCOPES });
    // Read once first: the guard has verified the token and remembers it; revocation must still win on the next call.
    expect((await read(bank, "/v2/accounts", tokens.access_token)).status).toBe(200);
    await oauth.processRevocationResponse(await oauth.revocationRequest(c.as, c.client, c.auth, tokens.refresh_token!, insecure));
    expect(await tokenError(refresh(c, tokens.refresh_token!))).toBe("invalid_grant");
    expect((await read(bank, "/v2/accounts", tokens.access_token)).status).toBe(401);
  });

  it("a bank-side revocation of the customer's grants refuses the access and the refresh token", async () => {
    const { tokens } = await connect(c, { scope: ALL_SCOPES });
    const bob = await connect(c, { scope: ALL_SCOPES }, { username: "bob", password: "pass_good" });
    expect((await read(bank, "/v2/accounts", tokens.access_token)).status).toBe(200);
    const admin = await fetch(`${cluster.adminUrl}/banks/${ID}/customers/alice/revoke`, { method: "POST" });
    expect(((await admin.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(1);
    expect((await read(bank, "/v2/accounts", tokens.access_token)).status).toBe(401);
    expect(await tokenError(refresh(c, tokens.refresh_token!))).toBe("invalid_grant");
    expect((await read(bank, "/v2/accounts", bob.tokens.access_token)).status).toBe(200);
  });
});

describe("what a token covers", () => {
  it("covers only the accounts the person left ticked, on every route", async () => {
    const all = bank.data.accountsOf("alice");
    expect(all.length).toBeGreaterThan(1);
    const kept = all[0]!.id;
    const left = all[1]!.id;
    const offered: string[] = [];
    const chooseAccounts = (accounts: { id: string; label: string }[]) => {
      offered.push(...accounts.map((a) => a.label));
      return [kept];
    };
    const { tokens } = await connect(c, { scope: ALL_SCOPES }, { username: "alice", password: "pass_good", chooseAccounts });
    expect(offered).toEqual(all.map((a) => `${a.name} •••• ${a.number.slice(-4)}`));
    expect((await read(bank, "/v2/accounts", tokens.access_token)).body.accounts.map((a: { account_id: string }) => a.account_id)).toEqual([kept]);
    expect((await read(bank, `/v2/accounts/${left}`, tokens.access_token)).status).toBe(404);
    const balances = await read(bank, "/v2/balances/search", tokens.access_token, { account_ids: [kept, left] });
    expect(balances.body.balances).toHaveLength(1);
    const customers = await read(bank, "/v2/customers/lookup", tokens.access_token, { account_ids: [left] });
    expect(customers.body.customers).toEqual([]);
  });

  it("refuses with 403 in the bank's format a resource whose scope was not granted", async () => {
    const { tokens } = await connect(c, { scope: "accounts" });
    expect((await read(bank, "/v2/accounts", tokens.access_token)).status).toBe(200);
    const balances = await read(bank, "/v2/balances/search", tokens.access_token, { account_ids: [bank.data.accountsOf("alice")[0]!.id] });
    expect(balances).toEqual({ status: 403, body: { error: { code: "INSUFFICIENT_SCOPE", message: expect.any(String) } } });
  });

  it("refuses an account selection with no account", async () => {
    const started = await startAuthorization(c, { scope: "accounts" });
    await expect(visitBank(c, started, { username: "alice", password: "pass_good", chooseAccounts: () => [] })).rejects.toThrow(/at least one/);
  });

  it("refuses a wrong password on the login page without echoing it", async () => {
    const started = await startAuthorization(c, { scope: "accounts" });
    await expect(visitBank(c, started, { username: "alice", password: "not-the-password" })).rejects.toThrow(/username or password is incorrect/);
  });
});

describe("Cancel", () => {
  for (const step of ["login", "allow", "accounts"] as const) {
    it(`on the ${step} page returns access_denied with state and iss`, async () => {
      const started = await startAuthorization(c, { scope: "accounts" });
      const redirect = await visitBank(c, started, { username: "alice", password: "pass_good", cancelAt: step });
      expect(redirect.pages.at(-1)!.step).toBe(step);
      expect(redirect.location.searchParams.get("error")).toBe("access_denied");
      expect(redirect.location.searchParams.get("state")).toBe(started.state);
      expect(redirect.location.searchParams.get("iss")).toBe(bank.url);
      expect(() => oauth.validateAuthResponse(c.as, c.client, redirect.location, started.state)).toThrow(oauth.AuthorizationResponseError);
    });
  }
});

describe("controls over the admin server (out-of-process mocks)", () => {
  it("registers a client at every bank, counts token calls by grant_type, expires access tokens and logs the pages", async () => {
    const redirectUri = "https://app.example/callback";
    const registered = await fetch(`${cluster.adminUrl}/clients`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ clientId: "other-app", clientSecret: "other-app-secret-0123456789", redirectUris: [redirectUri], name: "Other App" }),
    });
    expect(registered.status).toBe(201);
    const other = { ...c, client: { client_id: "other-app" }, auth: oauth.ClientSecretBasic("other-app-secret-0123456789"), redirectUri };
    await fetch(`${cluster.adminUrl}/banks/${ID}/calls`, { method: "DELETE" });
    const { tokens, redirect } = await connect(other, { scope: "accounts" });
    expect(redirect.pages.find((p) => p.step === "allow")!.html).toContain("Other App");
    await refresh(other, tokens.refresh_token!);
    const calls = await fetch(`${cluster.adminUrl}/banks/${ID}/token-calls`);
    expect(await calls.json()).toEqual({ authorization_code: 1, refresh_token: 1 });
    const log = bank.requestLog();
    expect(log.filter((r) => r.path.startsWith("/interaction/")).length).toBeGreaterThanOrEqual(4);
    expect(log.filter((r) => r.path === "/oauth/token").map((r) => r.kind)).toEqual(["auth", "auth"]);
    expect((await fetch(`${cluster.adminUrl}/banks/${ID}/tokens/expire`, { method: "POST" })).status).toBe(204);
    expect((await read(bank, "/v2/accounts", tokens.access_token)).status).toBe(401);
    const bad = await fetch(`${cluster.adminUrl}/clients`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ clientId: "x" }),
    });
    expect(bad.status).toBe(400);
  });
});

describe("CSRF", () => {
  it("refuses a form post without the interaction's cookie or with a wrong per-step token", async () => {
    const started = await startAuthorization(c, { scope: "accounts" });
    const start = await fetch(started.authorizationUrl, { redirect: "manual" });
    const pageUrl = new URL(start.headers.get("location")!, bank.url);
    const cookie = start.headers
      .getSetCookie()
      .map((h) => h.split(";")[0])
      .join("; ");
    const login = await (await fetch(pageUrl, { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(login)![1]!;
    const post = (headers: Record<string, string>, token: string) =>
      fetch(`${pageUrl.href}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams({ csrf: token, username: "alice", password: "pass_good" }),
      });
    expect((await post({}, csrf)).status).toBeGreaterThanOrEqual(400);
    expect((await post({ cookie }, `${csrf}x`)).status).toBe(403);
    expect((await post({ cookie }, csrf)).status).toBe(303);
  });
});
