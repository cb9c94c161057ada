/**
 * The refusals and controls of a mock bank's authorization server, over real HTTP with a real
 * client (oauth4webapi): PKCE, code replay, redirect URI, rotation, expiry, revocation, account
 * narrowing, scope enforcement, Cancel on every page, the token-call counter.
 */
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { MockBankServer } from "../../mocks/mock-bank-server.js";
import { DEV_CLIENT_ID, devClientSecret } from "../../mocks/oauth/registered-clients.js";
import { type BankClient, bankClient, connect, insecure, read, redeem, refresh, startAuthorization, visitBank } from "./bank-oauth-client.js";

const ID = "wells_fargo";
const ALL_SCOPES = "accounts balances transactions customers";
let cluster: MockCluster;
let bank: MockBankServer;
let c: BankClient;

beforeAll(async () => {
  cluster = await startMockCluster({ banks: [ID] });
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
    await oauth.processRevocationResponse(await oauth.revocationRequest(c.as, c.client, c.auth, tokens.refresh_token!, insecure));
    expect(await tokenError(refresh(c, tokens.refresh_token!))).toBe("invalid_grant");
    expect((await read(bank, "/v2/accounts", tokens.access_token)).status).toBe(401);
  });

  it("a bank-side revocation of the customer's grants refuses the access and the refresh token", async () => {
    const { tokens } = await connect(c, { scope: ALL_SCOPES });
    const bob = await connect(c, { scope: ALL_SCOPES }, { username: "bob", password: "pass_good" });
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
    const { tokens } = await connect(c, { scope: ALL_SCOPES }, { username: "alice", password: "pass_good", chooseAccounts: () => [kept] });
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
