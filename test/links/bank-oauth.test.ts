/**
 * Bankgraph as each bank's OAuth client, through the public interface: the person logs in on the
 * bank's own pages (the mocks' HTTP driver, real HTTP to the mock bank's oidc-provider), Bankgraph
 * begins and completes the authorization, and GraphQL over real HTTP reads the data. Proven here:
 * the read returns exactly the accounts chosen at the bank; every forged or stale callback is
 * refused with a clear error and stores nothing; an expired access token is refreshed once by
 * Bankgraph itself; a refresh token the bank revoked turns the link LOGIN_REQUIRED (typed error)
 * and revokes the link's consents (reason REVOKED_AT_BANK),
 * and a new authorization re-activates the same link; the bank password is nowhere in Bankgraph.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/observability/logger.js";
import { bankCallbackUri } from "../../src/links/bank-authorization.js";
import { DAY_MS, type ManualClock } from "../../src/clock.js";
import { decodeGlobalId } from "../../src/schema/global-id.js";
import { BANK_SCOPES, personAtBank, startTestGateway, type TestGateway } from "../support/gateway.js";

const BANKS = ["chase", "wells_fargo", "citi", "us_bank", "paypal", "amex"];
const PASSWORD = "pass_good";

let t: TestGateway;
const logLines: string[] = [];
/** Every request Bankgraph received over HTTP: method, URL and body. */
const received: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  t = await startTestGateway({ logger: createLogger("trace", sink), env: { LOG_LEVEL: "trace" } });
  t.gateway.httpServer.prependListener("request", (req) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => received.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)} ${Buffer.concat(chunks).toString()}`));
  });
});
afterAll(() => t?.close());

const clock = () => t.clock as ManualClock;
const origin = () => new URL(t.url).origin;
const begin = (userId: string, institutionId: string) =>
  t.gateway.services.bankAuthorization.begin({
    userId,
    institutionId,
    scopes: BANK_SCOPES,
    expiresAt: new Date(clock().now().getTime() + 90 * DAY_MS),
    redirectUri: bankCallbackUri(origin(), institutionId),
  });
/** alice at the bank's pages for this attempt: the bank's redirect back (code, state, iss). */
const atBank = async (institutionId: string, authorizationUrl: string) => personAtBank()(authorizationUrl, bankCallbackUri(origin(), institutionId));
const storedLinks = async (userId: string) => t.gateway.services.db.query("SELECT id FROM links WHERE user_id = $1", [userId]);
const bankAccountIds = (accounts: Array<{ id: string }>) => accounts.map((a) => decodeGlobalId(a.id)!.parts.at(-1)!).sort();
const tokenCalls = (bank: string, grantType: string) => t.mocks.bank(bank).tokenCallCounts()[grantType] ?? 0;

describe.each(BANKS)("%s", (bank) => {
  it("the app's GraphQL read returns exactly the accounts chosen at the bank", async () => {
    const offered = t.mocks
      .bank(bank)
      .data.accountsOf("alice")
      .map((a) => a.id);
    expect(offered.length).toBeGreaterThan(1);
    const chosen = offered.slice(1);
    const user = await t.newUser("chosen", []);
    const outcome = await t.linkAtBank(user.userId, bank, { chooseAccounts: (shown) => shown.map((a) => a.id).filter((id) => chosen.includes(id)) });
    expect(outcome).toMatchObject({ status: "LINKED", accountIds: chosen });
    const [stored] = await t.gateway.services.db.query<{ account_ids: string[]; refresh_token_ciphertext: string | null; access_token_expires_at: Date }>(
      "SELECT account_ids, refresh_token_ciphertext, access_token_expires_at FROM links WHERE user_id = $1",
      [user.userId],
    );
    expect(stored!.account_ids).toEqual(chosen);
    expect(stored!.refresh_token_ciphertext).toMatch(/^v1\./);
    expect(stored!.access_token_expires_at.getTime()).toBeGreaterThan(clock().now().getTime());

    user.links[bank] = (await t.gql<{ links: Array<{ id: string }> }>(`{ links { id } }`, {}, user.user)).body.data!.links[0]!.id;
    await t.grant(user, bank, ["accounts:read", "balances:read"]);
    const read = await t.gql<{ accounts: Array<{ id: string; balance: { current: { amount: string } } | null }> }>(
      `{ accounts { id balance { current { amount } } } }`,
      {},
      user.app,
    );
    expect(read.body.errors).toBeUndefined();
    expect(bankAccountIds(read.body.data!.accounts)).toEqual([...chosen].sort());
    for (const account of read.body.data!.accounts) expect(account.balance).not.toBeNull();
  });

  it("an access token that expired is refreshed once by Bankgraph, and the data is returned", async () => {
    const user = await t.newUser("expiry", [bank]);
    await t.grant(user, bank, ["accounts:read"]);
    const before = tokenCalls(bank, "refresh_token");
    // The bank's tokens last 300 s: Bankgraph's clock moves past that, so it refreshes before asking.
    clock().advance(301_000);
    const first = await t.gql(`{ accounts { id } }`, {}, user.app);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.accounts.length).toBe(t.mocks.bank(bank).data.accountsOf("alice").length);
    expect(tokenCalls(bank, "refresh_token") - before).toBe(1);
    // Mid-request: the bank drops every access token; the 401 gets one forced refresh and one retry.
    await fetch(`${t.mocks.adminUrl}/banks/${bank}/tokens/expire`, { method: "POST" });
    const second = await t.gql(`{ accounts { id } }`, {}, user.app);
    expect(second.body.errors).toBeUndefined();
    expect(second.body.data.accounts.length).toBe(first.body.data.accounts.length);
    expect(tokenCalls(bank, "refresh_token") - before).toBe(2);
  });
});

describe("a refresh token the bank revoked", () => {
  it.each(BANKS)("%s: LOGIN_REQUIRED with the institution, the link flips, a new authorization re-activates the same link", async (bank) => {
    const user = await t.newUser("revoked", []);
    const linked = await t.linkAtBank(user.userId, bank, { username: "carol" });
    if (linked.status !== "LINKED") throw new Error("not linked");
    user.links[bank] = (await t.gql<{ links: Array<{ id: string }> }>(`{ links { id } }`, {}, user.user)).body.data!.links[0]!.id;
    await t.grant(user, bank, ["accounts:read"]);
    expect((await fetch(`${t.mocks.adminUrl}/banks/${bank}/customers/carol/revoke`, { method: "POST" })).status).toBe(200);
    clock().advance(301_000);
    const refused = await t.gql(`{ accounts { id } }`, {}, user.app);
    const name = t.gateway.services.providers.get(bank)!.name;
    expect(refused.body.errors).toEqual([
      expect.objectContaining({
        message: `The login at ${name} has expired; the user must log in again`,
        extensions: { code: "LOGIN_REQUIRED", institutionId: bank },
      }),
    ]);
    expect((await t.gql(`{ links { id status } }`, {}, user.app)).body.data.links).toEqual([{ id: user.links[bank], status: "LOGIN_REQUIRED" }]);

    const relinked = await t.linkAtBank(user.userId, bank, { username: "carol" });
    expect(relinked).toMatchObject({ status: "LINKED", link: { id: linked.link.id, status: "ACTIVE" } });
    // The grant was revoked at the bank, so was the app's consent (REVOKED_AT_BANK): the link is back, the app asks again.
    const notYet = await t.gql(`{ accounts { id } }`, {}, user.app);
    expect(notYet.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "UNAUTHORIZED_FIELD_OR_TYPE", institutionId: bank, reason: "REVOKED" }) }),
    ]);
    await t.grant(user, bank, ["accounts:read"]);
    const healed = await t.gql(`{ accounts { id } }`, {}, user.app);
    expect(healed.body.errors).toBeUndefined();
    expect(healed.body.data.accounts.length).toBe(t.mocks.bank(bank).data.accountsOf("carol").length);
  });
});

describe("a callback that is not exactly the one the bank sent for this person's attempt", () => {
  const refusal = (message: string) =>
    expect.objectContaining({ message: expect.stringMatching(message), extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) });

  it("wrong state", async () => {
    const userId = `state-${Date.now()}`;
    const started = await begin(userId, "wells_fargo");
    const back = await atBank("wells_fargo", started.authorizationUrl);
    back.searchParams.set("state", "forged-state-value");
    await expect(t.gateway.services.bankAuthorization.complete(userId, back.searchParams)).rejects.toEqual(refusal("unknown"));
    back.searchParams.delete("state");
    await expect(t.gateway.services.bankAuthorization.complete(userId, back.searchParams)).rejects.toEqual(refusal("no state"));
    expect(await storedLinks(userId)).toEqual([]);
  });

  it("wrong or missing iss", async () => {
    const userId = `iss-${Date.now()}`;
    for (const iss of ["http://127.0.0.1:1/", t.mocks.urls["chase"]!, null]) {
      const started = await begin(userId, "wells_fargo");
      const back = await atBank("wells_fargo", started.authorizationUrl);
      if (iss === null) back.searchParams.delete("iss");
      else back.searchParams.set("iss", iss);
      await expect(t.gateway.services.bankAuthorization.complete(userId, back.searchParams)).rejects.toEqual(refusal("does not come from Wells Fargo"));
    }
    expect(await storedLinks(userId)).toEqual([]);
  });

  it("a replayed callback, and a replayed code under another attempt", async () => {
    const userId = `replay-${Date.now()}`;
    const started = await begin(userId, "paypal");
    const back = await atBank("paypal", started.authorizationUrl);
    expect(await t.gateway.services.bankAuthorization.complete(userId, back.searchParams)).toMatchObject({ status: "LINKED" });
    await expect(t.gateway.services.bankAuthorization.complete(userId, back.searchParams)).rejects.toEqual(refusal("already completed"));
    // The same (used) code carried back by a fresh attempt's state: the bank refuses it.
    const other = `replay-other-${Date.now()}`;
    const fresh = await atBank("paypal", (await begin(other, "paypal")).authorizationUrl);
    back.searchParams.set("state", fresh.searchParams.get("state")!);
    await expect(t.gateway.services.bankAuthorization.complete(other, back.searchParams)).rejects.toEqual(refusal("refused the authorization code"));
    expect(await storedLinks(other)).toEqual([]);
  });

  it("a code issued for another attempt (its PKCE verifier is not this attempt's)", async () => {
    const userId = `pkce-${Date.now()}`;
    const first = await begin(userId, "amex");
    const second = await begin(userId, "amex");
    const backFirst = await atBank("amex", first.authorizationUrl);
    const backSecond = await atBank("amex", second.authorizationUrl);
    // The first attempt's code under the second attempt's state: exchanged with the second verifier.
    backFirst.searchParams.set("state", backSecond.searchParams.get("state")!);
    await expect(t.gateway.services.bankAuthorization.complete(userId, backFirst.searchParams)).rejects.toEqual(refusal("refused the authorization code"));
    expect(await storedLinks(userId)).toEqual([]);
  });

  it("an expired attempt", async () => {
    const userId = `expired-${Date.now()}`;
    const started = await begin(userId, "us_bank");
    const back = await atBank("us_bank", started.authorizationUrl);
    clock().advance(11 * 60_000);
    await expect(t.gateway.services.bankAuthorization.complete(userId, back.searchParams)).rejects.toEqual(refusal("expired"));
    expect(await storedLinks(userId)).toEqual([]);
  });

  it("another person's attempt: refused for them, still the owner's", async () => {
    const owner = `owner-${Date.now()}`;
    const intruder = `intruder-${Date.now()}`;
    const back = await atBank("citi", (await begin(owner, "citi")).authorizationUrl);
    await expect(t.gateway.services.bankAuthorization.complete(intruder, back.searchParams)).rejects.toEqual(refusal("unknown"));
    expect(await storedLinks(intruder)).toEqual([]);
    expect(await t.gateway.services.bankAuthorization.complete(owner, back.searchParams)).toMatchObject({ status: "LINKED" });
  });

  it("Cancel at the bank: DENIED with access_denied, nothing stored", async () => {
    const userId = `cancel-${Date.now()}`;
    const started = await begin(userId, "chase");
    const back = await personAtBank({ cancelAt: "allow" })(started.authorizationUrl, bankCallbackUri(origin(), "chase"));
    expect(await t.gateway.services.bankAuthorization.complete(userId, back.searchParams)).toEqual({
      status: "DENIED",
      attemptId: started.attemptId,
      error: "access_denied",
    });
    expect(await storedLinks(userId)).toEqual([]);
  });
});

describe("the bank password and the bank's tokens stay out of Bankgraph", () => {
  it("appear in no request Bankgraph received, no log line and no store table", async () => {
    const user = await t.newUser("scan", BANKS);
    for (const bank of BANKS) await t.grant(user, bank, ["accounts:read", "transactions:read"]);
    expect((await t.gql(`{ accounts { id transactions(first: 2) { nodes { id } } } }`, {}, user.app)).body.errors).toBeUndefined();
    expect(received.length).toBeGreaterThan(0);
    for (const request of received) expect(request).not.toContain(PASSWORD);
    expect(logLines.length).toBeGreaterThan(0);
    const tokens = (
      await t.gateway.services.db.query<{ a: string; r: string }>(
        "SELECT access_token_ciphertext AS a, refresh_token_ciphertext AS r FROM links WHERE user_id = $1",
        [user.userId],
      )
    ).flatMap((row) => [t.gateway.services.cipher.decrypt(row.a), t.gateway.services.cipher.decrypt(row.r)]);
    expect(tokens).toHaveLength(BANKS.length * 2);
    for (const line of logLines) {
      expect(line).not.toContain(PASSWORD);
      for (const token of tokens) expect(line).not.toContain(token);
    }
    // Every text-like column of every table.
    const columns = await t.gateway.services.db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND data_type IN ('text', 'ARRAY', 'jsonb', 'character varying')`,
    );
    expect(columns.length).toBeGreaterThan(10);
    for (const { table_name, column_name } of columns) {
      const found = await t.gateway.services.db.query(`SELECT 1 FROM "${table_name}" WHERE "${column_name}"::text LIKE $1 LIMIT 1`, [`%${PASSWORD}%`]);
      expect(found, `${table_name}.${column_name}`).toEqual([]);
      for (const token of tokens) {
        const leaked = await t.gateway.services.db.query(`SELECT 1 FROM "${table_name}" WHERE "${column_name}"::text LIKE $1 LIMIT 1`, [`%${token}%`]);
        expect(leaked, `${table_name}.${column_name}`).toEqual([]);
      }
    }
  });
});
