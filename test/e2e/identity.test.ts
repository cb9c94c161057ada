/**
 * Identity: every request needs a valid bearer JWT. A missing, malformed, expired, wrongly signed,
 * unsigned or foreign token gets HTTP 401 with one UNAUTHENTICATED error and no data — and
 * nothing runs: no bank is called, nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { BANK_IDS, DASHBOARD_QUERY, linkedUser } from "../support/dashboard.js";
import { APP, startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";

let t: TestGateway;
let user: TestUser;

beforeAll(async () => {
  t = await startTestGateway();
  user = await linkedUser(t, "identity", ["chase", "paypal"]);
});
afterAll(() => t?.close());

const UNLINK = `mutation($id: ID!) { unlinkInstitution(linkId: $id) { id } }`;
const HOUR = 3_600_000;

/**
 * The user's own (user-present) token, signed and claimed as the gateway expects unless `change`
 * says otherwise — so each refused variant differs from a working token in one respect only.
 */
function tokenWith(change: { secret?: string; issuer?: string; audience?: string; now?: Date; expiresIn?: number; client?: string }): Promise<string> {
  return mintDevToken({
    userId: user.userId,
    clientId: change.client ?? APP,
    scopes: ["consent:manage"],
    secret: change.secret ?? t.config.jwt.secret!,
    issuer: change.issuer ?? t.config.jwt.issuer,
    audience: change.audience ?? t.config.jwt.audience,
    now: change.now,
    expiresInSeconds: change.expiresIn,
  });
}

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Authorization header values that must all be refused. */
async function badAuthorizations(): Promise<Array<[string, string | undefined]>> {
  const valid = await tokenWith({});
  const [header, payload] = valid.split(".");
  return [
    ["missing", undefined],
    ["empty bearer", "Bearer "],
    ["another scheme", `Basic ${Buffer.from("alice:pass_good").toString("base64")}`],
    ["not a JWT", "Bearer not-a-jwt"],
    ["two tokens", `Bearer ${valid} ${valid}`],
    ["expired", `Bearer ${await tokenWith({ now: new Date(Date.now() - 2 * HOUR), expiresIn: 600 })}`],
    ["signed with another key", `Bearer ${await tokenWith({ secret: "someone-elses-secret-that-is-long-enough-0123456789" })}`],
    [
      "tampered payload",
      `Bearer ${header}.${base64url({ ...JSON.parse(Buffer.from(payload!, "base64url").toString()), sub: "someone-else" })}.${valid.split(".")[2]}`,
    ],
    ["unsigned (alg none)", `Bearer ${base64url({ alg: "none", typ: "JWT" })}.${payload}.`],
    ["another issuer", `Bearer ${await tokenWith({ issuer: "https://evil.example" })}`],
    ["another audience", `Bearer ${await tokenWith({ audience: "another-api" })}`],
    ["a client ID with odd characters", `Bearer ${await tokenWith({ client: "app<script>" })}`],
  ];
}

describe("requests without a valid bearer token", () => {
  it("a valid token works (the control case)", async () => {
    const response = await t.gql(`{ links { institution { id } } }`, {}, await tokenWith({}));
    expect(response.status).toBe(200);
    expect(response.body.data.links).toHaveLength(2);
  });

  it("are refused with 401 UNAUTHENTICATED, no data, and no bank call", async () => {
    for (const [what, authorization] of await badAuthorizations()) {
      t.resetBankCalls();
      const response = await t.gql(DASHBOARD_QUERY, {}, undefined, authorization ? { authorization } : {});
      expect({ what, status: response.status }).toEqual({ what, status: 401 });
      expect({ what, data: "data" in response.body, codes: response.body.errors?.map((e) => e.extensions?.["code"]) }).toEqual({
        what,
        data: false,
        codes: ["UNAUTHENTICATED"],
      });
      const text = JSON.stringify(response.body);
      expect(text).not.toContain("stacktrace");
      expect(text).not.toContain(t.config.jwt.secret!);
      expect({ what, calls: BANK_IDS.map((b) => t.bankCalls()[b]!.total) }).toEqual({ what, calls: BANK_IDS.map(() => 0) });
    }
  });

  it("run no mutation: a refused unlinkInstitution changes no link", async () => {
    for (const [what, authorization] of await badAuthorizations()) {
      t.resetBankCalls();
      const response = await t.gql(UNLINK, { id: user.links["chase"] }, undefined, authorization ? { authorization } : {});
      expect({ what, status: response.status }).toEqual({ what, status: 401 });
      expect({ what, calls: t.bankCalls()["chase"]!.total }).toEqual({ what, calls: 0 });
    }
    const links = await t.gql(`{ links { status institution { id } } }`, {}, user.app);
    expect(links.body.data.links.map((l: { status: string; institution: { id: string } }) => `${l.institution.id} ${l.status}`).sort()).toEqual([
      "chase ACTIVE",
      "paypal ACTIVE",
    ]);
  });
});
