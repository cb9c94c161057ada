/**
 * createConnectSession and connectSession over real HTTP GraphQL, against the real embedded store:
 * every validation refusal names what is wrong and stores nothing; a session is visible only to the
 * app that created it, for that person; it expires on the clock; an unregistered app's token is
 * refused naming the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { APP, APP_REDIRECT_URI, startTestGateway, type TestGateway } from "../support/gateway.js";

const CREATE = `mutation($input: CreateConnectSessionInput!) { createConnectSession(input: $input) { id url expiresAt } }`;
const READ = `query($id: ID!) { connectSession(id: $id) { id status purpose scopes banks { institutionId status consentId } consentIds expiresAt } }`;
const NARROW_APP = "fraud-watch";
const NARROW_REDIRECT = "https://fraud-watch.test/back";

const valid = {
  purpose: "TRANSACTION_NOTIFICATIONS",
  scopes: ["accounts:read", "transactions:read"],
  institutionIds: ["chase", "paypal"],
  durationDays: 180,
  historyDays: 90,
  redirectUri: APP_REDIRECT_URI,
  state: "chat-4711",
};

describe("createConnectSession", () => {
  let t: TestGateway;
  const clock = new ManualClock("2026-06-15T12:00:00Z");
  const sessionsOf = async (userId: string) => (await t.gateway.services.db.query("SELECT id FROM connect_sessions WHERE user_id = $1", [userId])).length;

  beforeAll(async () => {
    t = await startTestGateway({ clock });
    await t.gateway.services.apps.register({
      id: NARROW_APP,
      displayName: "Fraud Watch",
      legalName: "Fraud Watch LLC",
      allowedPurposes: ["FRAUD_PROTECTION"],
      allowedScopes: ["accounts:read", "transactions:read", "alerts:read", "identity:read"],
      redirectUris: [NARROW_REDIRECT],
    });
  });
  afterAll(() => t?.close());

  it("returns an id, a URL on the gateway's own pages and an end minutes away", async () => {
    const app = await t.token("carol");
    const { body } = await t.gql(CREATE, { input: valid }, app);
    expect(body.errors).toBeUndefined();
    const created = body.data.createConnectSession;
    const base = t.url.replace(/\/graphql$/, "");
    expect(created.url).toBe(`${base}/connect/${created.id}`);
    expect(created.expiresAt).toBe("2026-06-15T12:30:00.000Z");

    const read = await t.gql(READ, { id: created.id }, app);
    expect(read.body).toEqual({
      data: {
        connectSession: {
          id: created.id,
          status: "PENDING",
          purpose: "TRANSACTION_NOTIFICATIONS",
          scopes: ["accounts:read", "transactions:read"],
          banks: [],
          consentIds: [],
          expiresAt: "2026-06-15T12:30:00.000Z",
        },
      },
    });
  });

  type Refusal = [what: string, client: string, input: Record<string, unknown>, code: string, message: RegExp];
  const refusals: Refusal[] = [
    ["advertising", APP, { purpose: "ADVERTISING" }, "PURPOSE_FORBIDDEN", /ADVERTISING is not allowed/],
    ["marketing, spelled loosely", APP, { purpose: "marketing" }, "PURPOSE_FORBIDDEN", /MARKETING is not allowed/],
    ["data resale", APP, { purpose: "DATA_RESALE" }, "PURPOSE_FORBIDDEN", /DATA_RESALE is not allowed/],
    ["an unknown purpose", APP, { purpose: "CURIOSITY" }, "BAD_USER_INPUT", /Unknown purpose "CURIOSITY"/],
    [
      "a purpose the app is not registered for",
      NARROW_APP,
      { purpose: "ACCOUNT_OVERVIEW", redirectUri: NARROW_REDIRECT },
      "FORBIDDEN",
      /not registered for purpose ACCOUNT_OVERVIEW/,
    ],
    ["an unknown scope", APP, { scopes: ["accounts:read", "transfers:write"] }, "BAD_USER_INPUT", /Unknown scope\(s\): transfers:write/],
    ["no scope", APP, { scopes: [] }, "BAD_USER_INPUT", /At least one scope/],
    [
      "a scope the app is not registered for",
      NARROW_APP,
      { purpose: "FRAUD_PROTECTION", scopes: ["accounts:read", "balances:read"], redirectUri: NARROW_REDIRECT },
      "BAD_USER_INPUT",
      /not registered for balances:read/,
    ],
    [
      "identity for fraud protection (beyond the purpose)",
      NARROW_APP,
      { purpose: "FRAUD_PROTECTION", scopes: ["accounts:read", "identity:read"], redirectUri: NARROW_REDIRECT },
      "BAD_USER_INPUT",
      /FRAUD_PROTECTION may not carry identity:read/,
    ],
    ["receipts for transaction notifications", APP, { scopes: ["accounts:read", "receipts:read"] }, "BAD_USER_INPUT", /may not carry receipts:read/],
    ["an unknown institution", APP, { institutionIds: ["chase", "monzo"] }, "BAD_USER_INPUT", /Unknown institution\(s\): monzo/],
    ["an empty institution list", APP, { institutionIds: [] }, "BAD_USER_INPUT", /at least one institution/],
    ["a duration of 0 days", APP, { durationDays: 0 }, "BAD_USER_INPUT", /durationDays must be a whole number from 1 to 365/],
    ["a duration over a year", APP, { durationDays: 366 }, "BAD_USER_INPUT", /durationDays must be a whole number from 1 to 365/],
    ["a history window of 0 days", APP, { historyDays: 0 }, "BAD_USER_INPUT", /historyDays must be a whole number from 1 to 3650/],
    ["a history window of 11 years", APP, { historyDays: 4015 }, "BAD_USER_INPUT", /historyDays must be a whole number from 1 to 3650/],
    ["an unregistered redirect URI", APP, { redirectUri: "https://evil.test/steal" }, "BAD_USER_INPUT", /redirectUri is not registered/],
    ["a redirect URI with an extra path", APP, { redirectUri: `${APP_REDIRECT_URI}/x` }, "BAD_USER_INPUT", /redirectUri is not registered/],
    ["a redirect URI with a query added", APP, { redirectUri: `${APP_REDIRECT_URI}?next=evil` }, "BAD_USER_INPUT", /redirectUri is not registered/],
    ["another app's redirect URI", APP, { redirectUri: NARROW_REDIRECT }, "BAD_USER_INPUT", /redirectUri is not registered/],
    ["an empty state", APP, { state: "" }, "BAD_USER_INPUT", /state is required/],
    ["a state over 512 characters", APP, { state: "s".repeat(513) }, "BAD_USER_INPUT", /state is required: 1 to 512/],
    ["a state with a space", APP, { state: "a b" }, "BAD_USER_INPUT", /printable ASCII/],
  ];

  it.each(refusals)("refuses %s with a clear error and stores nothing", async (_what, client, change, code, message) => {
    const userId = `refused-${Math.random().toString(36).slice(2, 10)}`;
    const { body } = await t.gql(CREATE, { input: { ...valid, ...change } }, await t.token(userId, { client }));
    expect(body.data?.createConnectSession ?? null).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions!.code).toBe(code);
    expect(body.errors![0]!.message).toMatch(message);
    expect(await sessionsOf(userId)).toBe(0);
  });

  it("refuses a user-present (consent:manage) token: sessions are started by apps", async () => {
    const { body } = await t.gql(CREATE, { input: valid }, await t.token("dave", { scopes: ["consent:manage"] }));
    expect(body.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect(await sessionsOf("dave")).toBe(0);
  });

  it("shows a session only to the app that created it, for that person", async () => {
    const owner = await t.token("erin");
    const { id } = (await t.gql(CREATE, { input: valid }, owner)).body.data.createConnectSession;
    await t.gateway.services.apps.register({
      id: "another-app",
      displayName: "Another",
      legalName: "Another Inc.",
      allowedPurposes: ["ACCOUNT_OVERVIEW"],
      allowedScopes: ["accounts:read"],
      redirectUris: ["https://another.test/cb"],
    });
    for (const stranger of [await t.token("erin", { client: "another-app" }), await t.token("frank"), await t.token("erin", { client: NARROW_APP })]) {
      const { body } = await t.gql(READ, { id }, stranger);
      expect(body).toEqual({
        data: null,
        errors: [expect.objectContaining({ message: "Connect session not found", extensions: expect.objectContaining({ code: "NOT_FOUND" }) })],
      });
    }
    expect((await t.gql(READ, { id: "not-a-uuid" }, owner)).body.errors![0]!.extensions!.code).toBe("NOT_FOUND");
    expect((await t.gql(READ, { id }, owner)).body.data.connectSession.status).toBe("PENDING");
  });

  it("expires on the clock (CONNECT_SESSION_MINUTES, default 30)", async () => {
    const app = await t.token("gina");
    const { id } = (await t.gql(CREATE, { input: valid }, app)).body.data.createConnectSession;
    clock.advance(30 * 60 * 1000 - 1);
    expect((await t.gql(READ, { id }, app)).body.data.connectSession.status).toBe("PENDING");
    clock.advance(1);
    expect((await t.gql(READ, { id }, app)).body.data.connectSession.status).toBe("EXPIRED");
  });

  it("refuses a token whose client is not registered, naming the fix", async () => {
    const { status, body } = await t.gql(`{ institutions { id } }`, {}, await t.token("hal", { client: "never-registered" }));
    expect(status).toBe(401);
    expect(body.errors![0]).toMatchObject({
      message: 'The token\'s client "never-registered" is not a registered app: register it with `npx bankgraph client add` or the CLIENTS_FILE (docs/apps.md)',
      extensions: { code: "UNAUTHENTICATED", reason: "CLIENT_NOT_REGISTERED" },
    });
  });

  it("refuses the tokens of a removed app", async () => {
    await t.gateway.services.apps.register({
      id: "short-lived",
      displayName: "Short",
      legalName: "Short Ltd.",
      allowedPurposes: ["ACCOUNT_OVERVIEW"],
      allowedScopes: ["accounts:read"],
      redirectUris: ["https://short.test/cb"],
    });
    const token = await t.token("ivy", { client: "short-lived" });
    expect((await t.gql(`{ institutions { id } }`, {}, token)).status).toBe(200);
    expect(await t.gateway.services.apps.remove("short-lived")).toBe(true);
    const { status, body } = await t.gql(`{ institutions { id } }`, {}, token);
    expect(status).toBe(401);
    expect(body.errors![0]!.extensions!.reason).toBe("CLIENT_NOT_REGISTERED");
  });
});
