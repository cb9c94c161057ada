/**
 * A plain-scopes bank (Wells Fargo) as an OAuth 2 authorization server over real HTTP, with a real
 * client (oauth4webapi) and the person driven through the bank's own pages.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { MockBankServer } from "../../mocks/mock-bank-server.js";
import { ALICE, type BankClient, bankClient, connect, read, startAuthorization, visitBank } from "./bank-oauth-client.js";

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
afterAll(async () => {
  await cluster?.close();
});

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
