/**
 * A token an app holds can never authorize a consent: `authorizeConsent` / `rejectConsent` with an
 * app's token are refused and the consent stays as it was; the dev consent:manage token works
 * outside production only (tests, playground) and is refused in production, where the person
 * decides on Bankgraph's connect pages.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeAsPerson } from "../../mocks/oauth/person-at-bank.js";
import { devClientFor } from "../../mocks/oauth/registered-clients.js";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

const BANK = "wells_fargo";
const AUTHORIZE = `mutation($id: ID!) { authorizeConsent(id: $id) { status } }`;
const REJECT = `mutation($id: ID!) { rejectConsent(id: $id) { status } }`;
const REQUEST = `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id status } }`;

describe("deciding a consent through the API", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({ mocks: { banks: [BANK] } });
  });
  afterAll(() => t?.close());

  it("is refused to an app's token, and the consent stays AWAITING_AUTHORIZATION; the dev consent:manage token may (outside production)", async () => {
    const userId = `decide-${randomUUID().slice(0, 8)}`;
    const redirectUri = devClientFor(BANK).redirectUris[0]!;
    const start = await t.gateway.services.bankAuthorization.begin({
      userId,
      institutionId: BANK,
      scopes: ["accounts:read"],
      expiresAt: new Date(t.clock.now().getTime() + 30 * 86_400_000),
      redirectUri,
    });
    const back = await authorizeAsPerson({ authorizationUrl: start.authorizationUrl, redirectUri, username: "alice", password: "pass_good" });
    const outcome = await t.gateway.services.bankAuthorization.complete(userId, back.location.searchParams);
    if (outcome.status !== "LINKED") throw new Error("the bank did not link");

    const app = await t.token(userId);
    const requested = await t.gql(
      REQUEST,
      { input: { linkId: encodeGlobalId("Link", outcome.link.id), scopes: ["accounts:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30 } },
      app,
    );
    expect(requested.body.errors).toBeUndefined();
    const consentId = requested.body.data.requestConsent.id;

    for (const mutation of [AUTHORIZE, REJECT]) {
      const { body } = await t.gql(mutation, { id: consentId }, app);
      expect(body.errors![0]).toMatchObject({
        extensions: { code: "FORBIDDEN" },
        message: expect.stringMatching(/^Only the user can (authorize|reject) a consent/),
      });
    }
    expect((await t.gql(`{ consents { status } }`, {}, app)).body.data.consents).toEqual([{ status: "AWAITING_AUTHORIZATION" }]);

    const dev = await t.token(userId, { scopes: ["consent:manage"] });
    expect((await t.gql(AUTHORIZE, { id: consentId }, dev)).body).toEqual({ data: { authorizeConsent: { status: "AUTHORIZED" } } });
  });
});

describe("in production", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway({
      mocks: { banks: [BANK] },
      env: {
        NODE_ENV: "production",
        JWT_SECRET: randomBytes(32).toString("hex"),
        TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        TRUSTED_DOCUMENTS_ONLY: "false",
      },
    });
  });
  afterAll(() => t?.close());

  it("refuses even the consent:manage token: the person decides on the connect pages", async () => {
    const dev = await t.token("prod-person", { scopes: ["consent:manage"] });
    const id = encodeGlobalId("Consent", randomUUID(), randomUUID());
    for (const [mutation, verb] of [
      [AUTHORIZE, "authorize"],
      [REJECT, "reject"],
    ] as const) {
      const { body } = await t.gql(mutation, { id }, dev);
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: `In production only the person can ${verb} a consent, on Bankgraph's connect pages: start a connect session with createConnectSession`,
          extensions: expect.objectContaining({ code: "FORBIDDEN", reason: "CONSENT_DECIDED_ON_CONNECT_PAGES" }),
        }),
      ]);
    }
  });
});
