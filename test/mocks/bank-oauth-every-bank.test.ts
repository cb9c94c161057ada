/**
 * Every mock bank, over real HTTP: discovery at its own origin, the code flow through its own
 * pages (one account left out), a token that reads only the chosen account, 401 and 403 in the
 * bank's own error format, and pages in its own look under a strict CSP with a label for every input.
 */
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSENTS_PATH } from "../../mocks/citi/account-access-consents.js";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import type { MockBankServer } from "../../mocks/mock-bank-server.js";
import { itemsOf } from "../../mocks/oauth/bank-authorization.js";
import { STYLESHEET_PATH } from "../../mocks/oauth/bank-html.js";
import { MOCK_BANKS } from "../../mocks/registry.js";
import { type BankClient, bankClient, insecure, read, redeem, startAuthorization, visitBank } from "./bank-oauth-client.js";

/** Per bank: its accounts route and a transactions call (a resource the test's grant leaves out). */
const ROUTES: Record<string, { accounts: string; transactions: (accountId: string) => [string, unknown?] }> = {
  chase: { accounts: "/fdx/v6/accounts", transactions: (id) => [`/fdx/v6/transactions?accountIds=${id}`] },
  wells_fargo: { accounts: "/v2/accounts", transactions: (id) => ["/v2/transactions/search", { account_ids: [id] }] },
  citi: { accounts: "/api/v1/accounts", transactions: (id) => ["/api/v1/accounts/transactions/query", { accountIds: [id] }] },
  us_bank: { accounts: "/v3/accounts", transactions: (id) => ["/v3/transactions/inquiry", { Accounts: [{ AccountID: id }] }] },
  paypal: { accounts: "/v1/wallet/accounts", transactions: (id) => [`/v1/reporting/transactions?account_id=${id}`] },
  amex: { accounts: "/servicing/v1/member/accounts", transactions: (id) => ["/servicing/v1/financials/transactions", { account_tokens: [id] }] },
};

let cluster: MockCluster;

beforeAll(async () => {
  cluster = await startMockCluster();
});
afterAll(async () => {
  await cluster?.close();
});

/** The bank's own request for "accounts only", in its style. */
async function accountsOnlyRequest(bank: MockBankServer, c: BankClient): Promise<Record<string, string>> {
  const authorization = bank.definition.authorization;
  const accountsItem = Object.entries(itemsOf(authorization)).find(([, item]) => item.opens.length === 1 && item.opens[0] === "accounts")![0];
  switch (authorization.style) {
    case "scopes":
      return { scope: accountsItem };
    case "fdx":
      return {
        authorization_details: JSON.stringify([
          {
            type: "fdx_v1.0",
            consentRequest: { durationType: "TIME_BOUND", durationPeriod: 90, resources: [{ resourceType: "ACCOUNT", dataClusters: [accountsItem] }] },
          },
        ]),
      };
    case "uk": {
      const token = await oauth.processClientCredentialsResponse(
        c.as,
        c.client,
        await oauth.clientCredentialsGrantRequest(c.as, c.client, c.auth, { scope: authorization.scope }, insecure),
      );
      const response = await fetch(bank.url + CONSENTS_PATH, {
        method: "POST",
        headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" },
        body: JSON.stringify({ Data: { Permissions: [accountsItem] }, Risk: {} }),
      });
      const consent = (await response.json()) as { Data: { ConsentId: string } };
      return { scope: authorization.scope, openbanking_intent_id: consent.Data.ConsentId };
    }
  }
}

describe.each(MOCK_BANKS.map((d) => d.id))("%s", (id) => {
  it("authorizes through its own pages; the token reads only the chosen account; 401 and 403 in its own format", async () => {
    const bank = cluster.bank(id);
    const c = await bankClient(bank);
    expect(c.as.issuer).toBe(bank.url);
    const [kept, left] = bank.data.accountsOf("alice");
    const started = await startAuthorization(c, await accountsOnlyRequest(bank, c));
    const redirect = await visitBank(c, started, { username: "alice", password: "pass_good", chooseAccounts: () => [kept!.id] });
    expect(redirect.pages.map((p) => p.step)).toEqual(["login", "allow", "accounts"]);
    const tokens = await redeem(c, started, redirect);

    const accounts = await read(bank, ROUTES[id]!.accounts, tokens.access_token);
    expect(accounts.status).toBe(200);
    expect(JSON.stringify(accounts.body)).toContain(kept!.id);
    expect(JSON.stringify(accounts.body)).not.toContain(left!.id);

    const [path, body] = ROUTES[id]!.transactions(kept!.id);
    const refused = await read(bank, path, tokens.access_token, body);
    expect(refused).toEqual({ status: 403, body: bank.definition.refusal(403) });
    expect(refused.body).not.toEqual({ error: "insufficient_scope" });
    expect(await read(bank, ROUTES[id]!.accounts, "not-a-token")).toEqual({ status: 401, body: bank.definition.refusal(401) });
  });

  it("serves its pages in its own look under a strict CSP, a label for every input, masked account numbers", async () => {
    const bank = cluster.bank(id);
    const c = await bankClient(bank);
    const started = await startAuthorization(c, await accountsOnlyRequest(bank, c));
    const login = await fetch(started.authorizationUrl, { redirect: "manual" });
    const page = await fetch(new URL(login.headers.get("location")!, bank.url), { headers: { cookie: cookiesOf(login) } });
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'; style-src 'self'; form-action 'self' http:\/\/127\.0\.0\.1:4000;/);
    const html = await page.text();
    expect(html).toContain(bank.definition.look.brand);
    expect(html).not.toMatch(/<script|style=/);
    for (const [, inputId] of html.matchAll(/<input[^>]*type="(?:text|password|checkbox)"[^>]*id="([^"]+)"/g))
      expect(html).toContain(`<label for="${inputId}"`);
    const css = await fetch(bank.url + STYLESHEET_PATH);
    expect(css.headers.get("content-type")).toMatch(/text\/css/);
    expect(await css.text()).toContain(bank.definition.look.primary);

    const redirect = await visitBank(c, started);
    const accountsPage = redirect.pages.find((p) => p.step === "accounts")!.html;
    for (const account of bank.data.accountsOf("alice")) {
      expect(accountsPage).toContain(`•••• ${account.number.slice(-4)}`);
      expect(accountsPage).not.toContain(account.number);
      expect(accountsPage).toMatch(new RegExp(`<label for="account-${account.id}">`));
    }
  });
});

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}
