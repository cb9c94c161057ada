/**
 * The two structured request formats over real HTTP: Chase's FDX Rich Authorization Request
 * (authorization_details type fdx_v1.0 pushed via PAR) and Citi's UK Open Banking consent
 * lifecycle (client-credentials token → account-access consent → authorize by its id →
 * Authorised with the chosen accounts → DELETE).
 */
import * as oauth from "oauth4webapi";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { CONSENTS_PATH } from "../../mocks/citi/account-access-consents.js";
import { type BankClient, bankClient, insecure, read, redeem, refresh, startAuthorization, visitBank } from "../support/bank-oauth-client.js";

const DAY = 86_400_000;
let cluster: MockCluster;

beforeAll(async () => {
  cluster = await startMockCluster({ banks: ["chase", "citi"] });
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await cluster?.close();
});

describe("Chase: FDX authorization_details", () => {
  const fdx = (clusters: string[], durationPeriod = 30, lookbackPeriod = 90) =>
    JSON.stringify([
      {
        type: "fdx_v1.0",
        consentRequest: { durationType: "TIME_BOUND", durationPeriod, lookbackPeriod, resources: [{ resourceType: "ACCOUNT", dataClusters: clusters }] },
      },
    ]);
  let c: BankClient;
  beforeAll(async () => {
    c = await bankClient(cluster.bank("chase"));
  });

  it("round-trips the request: played back on the consent page, granted in the token response, enforced per cluster and lookback", async () => {
    const bank = cluster.bank("chase");
    const details = fdx(["ACCOUNT_BASIC", "TRANSACTIONS"]);
    const started = await startAuthorization(c, { authorization_details: details });
    const redirect = await visitBank(c, started);
    const consent = redirect.pages.find((p) => p.step === "allow")!.html;
    const format = (d: Date) => new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" }).format(d);
    expect(consent).toContain(`Transactions from ${format(new Date(Date.now() - 90 * DAY))} onward.`);
    expect(consent).toContain(`Access ends on ${format(new Date(Date.now() + 30 * DAY))}.`);
    expect(consent).toContain("Your transactions");
    expect(consent).not.toContain("balances");
    const tokens = await redeem(c, started, redirect);
    // Granted as asked, each entry naming the bank consent (the id a later FDX consent revocation takes).
    const [granted] = bank.consents.ofCustomer("alice").slice(-1);
    expect(tokens.authorization_details).toEqual((JSON.parse(details) as object[]).map((d) => ({ ...d, consentId: granted!.id })));
    expect((await read(bank, "/fdx/v6/accounts", tokens.access_token)).status).toBe(200);
    const accountId = bank.data.accountsOf("alice")[0]!.id;
    const since = (days: number, slackMs: number) =>
      bank.data.recordsOf(accountId, { includeSupersededPending: false, from: new Date(Date.now() - days * DAY + slackMs) }).length;
    const history = await read(
      bank,
      `/fdx/v6/transactions?accountIds=${accountId}&startTime=${new Date(Date.now() - 200 * DAY).toISOString().slice(0, 10)}`,
      tokens.access_token,
    );
    expect(history.status).toBe(200);
    const total: number = history.body.results[0].page.totalElements;
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(since(200, 0));
    expect(total).toBeLessThanOrEqual(since(90, -60_000));
    expect(total).toBeGreaterThanOrEqual(since(90, 60_000));
    const details403 = await read(bank, "/fdx/v6/accounts?resultType=details", tokens.access_token);
    expect(details403).toEqual({ status: 403, body: { code: 403, message: "Forbidden", debugMessage: expect.any(String) } });
  });

  it("access tokens expire (401); refresh tokens never outlive the consent's durationPeriod", async () => {
    const bank = cluster.bank("chase");
    const started = await startAuthorization(c, { authorization_details: fdx(["ACCOUNT_BASIC"], 2) });
    const tokens = await redeem(c, started, await visitBank(c, started));
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + DAY);
    expect((await read(bank, "/fdx/v6/accounts", tokens.access_token)).status).toBe(401);
    const renewed = await refresh(c, tokens.refresh_token!);
    expect((await read(bank, "/fdx/v6/accounts", renewed.access_token)).status).toBe(200);
    vi.setSystemTime(Date.now() + 1.5 * DAY);
    const error = await refresh(c, renewed.refresh_token!).catch((e: unknown) => e);
    expect((error as oauth.ResponseBodyError).error).toBe("invalid_grant");
    expect((await read(bank, "/fdx/v6/accounts", renewed.access_token)).status).toBe(401);
  });

  it("refuses unknown clusters and a malformed consentRequest at PAR", async () => {
    for (const authorization_details of [fdx(["EVERYTHING"]), JSON.stringify([{ type: "fdx_v1.0", consentRequest: { durationType: "TIME_BOUND" } }])]) {
      const error = await startAuthorization(c, { authorization_details }).catch((e: unknown) => e);
      expect((error as oauth.ResponseBodyError).error).toBe("invalid_authorization_details");
    }
  });
});

describe("Citi: UK account-access consent", () => {
  let c: BankClient;
  let clientToken: string;
  beforeAll(async () => {
    c = await bankClient(cluster.bank("citi"));
    const response = await oauth.clientCredentialsGrantRequest(c.as, c.client, c.auth, { scope: "accounts" }, insecure);
    clientToken = (await oauth.processClientCredentialsResponse(c.as, c.client, response)).access_token;
  });
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(cluster.bank("citi").url + path, {
      method,
      headers: { authorization: `Bearer ${clientToken}`, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as any) };
  };
  const createConsent = (permissions: string[], expiration = new Date(Date.now() + 90 * DAY)) =>
    api("POST", CONSENTS_PATH, { Data: { Permissions: permissions, ExpirationDateTime: expiration.toISOString() }, Risk: {} });

  it("runs the lifecycle: AwaitingAuthorisation → authorize by id → Authorised with the chosen accounts → DELETE revokes", async () => {
    const bank = cluster.bank("citi");
    const created = await createConsent(["ReadAccountsDetail", "ReadBalances"]);
    expect(created.status).toBe(201);
    expect(created.body.Data.Status).toBe("AwaitingAuthorisation");
    const consentId: string = created.body.Data.ConsentId;
    const kept = bank.data.accountsOf("alice")[0]!.id;
    const started = await startAuthorization(c, { scope: "accounts", openbanking_intent_id: consentId });
    const redirect = await visitBank(c, started, { username: "alice", password: "pass_good", chooseAccounts: () => [kept] });
    expect(redirect.pages.find((p) => p.step === "allow")!.html).toContain("Your account balances");
    const tokens = await redeem(c, started, redirect);
    const authorised = await api("GET", `${CONSENTS_PATH}/${consentId}`);
    expect(authorised.body.Data).toMatchObject({ ConsentId: consentId, Status: "Authorised", AccountIds: [kept] });
    const accounts = await read(bank, "/api/v1/accounts", tokens.access_token);
    expect(accounts.body.data.accounts.map((a: { accountId: string }) => a.accountId)).toEqual([kept]);
    const transactions = await read(bank, "/api/v1/accounts/transactions/query", tokens.access_token, { accountIds: [kept] });
    expect(transactions).toEqual({ status: 403, body: { httpCode: "403", httpMessage: "Forbidden", moreInformation: expect.any(String) } });
    expect((await api("DELETE", `${CONSENTS_PATH}/${consentId}`)).status).toBe(204);
    expect((await api("GET", `${CONSENTS_PATH}/${consentId}`)).body.Data.Status).toBe("Revoked");
    expect((await read(bank, "/api/v1/accounts", tokens.access_token)).status).toBe(401);
    const error = await refresh(c, tokens.refresh_token!).catch((e: unknown) => e);
    expect((error as oauth.ResponseBodyError).error).toBe("invalid_grant");
  });

  it("Cancel rejects the consent; an authorised or unknown consent cannot be authorized again", async () => {
    const created = await createConsent(["ReadAccountsBasic"]);
    const consentId: string = created.body.Data.ConsentId;
    const started = await startAuthorization(c, { scope: "accounts", openbanking_intent_id: consentId });
    const redirect = await visitBank(c, started, { username: "alice", password: "pass_good", cancelAt: "allow" });
    expect(redirect.location.searchParams.get("error")).toBe("access_denied");
    expect((await api("GET", `${CONSENTS_PATH}/${consentId}`)).body.Data.Status).toBe("Rejected");
    for (const id of [consentId, "no-such-consent"]) {
      const error = await startAuthorization(c, { scope: "accounts", openbanking_intent_id: id }).catch((e: unknown) => e);
      expect((error as oauth.ResponseBodyError).error).toBe("invalid_request");
    }
  });

  it("refuses a consent request without a client-credentials token, with unknown permissions or beyond a year", async () => {
    const anonymous = await fetch(cluster.bank("citi").url + CONSENTS_PATH, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(anonymous.status).toBe(401);
    expect((await createConsent(["ReadEverything"])).status).toBe(400);
    expect((await createConsent(["ReadBalances"], new Date(Date.now() + 400 * DAY))).status).toBe(400);
  });
});
