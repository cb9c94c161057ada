/**
 * Garbage in, over real HTTP: malformed and oversized bodies, wrong content types and methods,
 * abusive documents, invalid variables, forged tokens, injection strings in every argument, and
 * other users' IDs. Each gets an exact 4xx or typed GraphQL error; after each, the store holds
 * exactly the rows it held before (every table counted) and a normal dashboard query still works.
 */
import { randomUUID } from "node:crypto";
import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { postJson, rowCounts, send, type RawResponse } from "./http-probe.js";

const DASHBOARD = `query Dashboard { accounts { id name mask balance { current { amount currency } asOf } transactions(first: 20) { nodes { id amount { amount currency } date status } pageInfo { hasNextPage endCursor } } } }`;

let t: TestGateway;
let atk: TestUser;
let victim: TestUser;
let victimAccount: string;
let victimTransaction: string;
let victimPending: string;
let before: Record<string, number>;
/** Set by a test whose bad argument sits beside data that was read and returned: that read is on the access log. */
let readBesideTheError = false;

beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["chase", "citi"] } });
  atk = await t.newUser("attacker", ["chase"]);
  await t.registerApp("another-app"); // a second app of the attacker's user (tokens of unregistered apps are refused)
  await t.grant(atk, "chase", ["accounts:read", "balances:read", "transactions:read"]);
  victim = await t.newUser("victim", ["chase", "citi"]);
  await t.grant(victim, "chase", ["accounts:read", "transactions:read"]);
  const pending = await t.gql(
    `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id } }`,
    { input: { linkId: victim.links["citi"], scopes: ["accounts:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30 } },
    victim.app,
  );
  victimPending = pending.body.data.requestConsent.id;
  const seen = await t.gql(`{ accounts(institutionIds: ["chase"]) { id transactions(first: 1) { nodes { id } } } }`, {}, victim.app);
  victimAccount = seen.body.data.accounts[0].id;
  victimTransaction = seen.body.data.accounts[0].transactions.nodes[0].id;
  before = await rowCounts(t.gateway.services.db);
});
afterAll(() => t?.close());

// The refused request changed nothing, and the gateway still serves. The healthy read is itself
// on the access log, so the baseline is taken again after it.
afterEach(async () => {
  const expected = before;
  const after = await rowCounts(t.gateway.services.db);
  const healthy = await t.gql(DASHBOARD, {}, atk.app);
  before = await rowCounts(t.gateway.services.db);
  if (readBesideTheError) {
    readBesideTheError = false;
    expect(after["access_log"]).toBeGreaterThan(expected["access_log"]!);
    after["access_log"] = expected["access_log"]!;
  }
  expect(after).toEqual(expected);
  expect(healthy.status).toBe(200);
  expect(healthy.body.errors).toBeUndefined();
  expect(healthy.body.data.accounts.length).toBeGreaterThan(0);
});

/** One error, with this status, code and message (a RegExp for messages that quote the input). */
function expectError(r: RawResponse, status: number, code: string, message: string | RegExp) {
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toMatch(/^application\/(graphql-response\+)?json; charset=utf-8$/);
  expect(r.body?.errors?.map((e) => e.extensions?.["code"])).toEqual([code]);
  if (typeof message === "string") expect(r.body!.errors![0]!.message).toBe(message);
  else expect(r.body!.errors![0]!.message).toMatch(message);
}

const withToken = (init: RequestInit = {}, token = atk.app): RequestInit => ({
  ...init,
  headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
});
const post = (body: string, contentType = "application/json") => withToken({ method: "POST", headers: { "content-type": contentType }, body });
const get = (query: string, extra = "") => `${t.url}?query=${encodeURIComponent(query)}${extra}`;
const PREFLIGHT = { "apollo-require-preflight": "true" };
const NOT_JSON = "POST requests must have Content-Type: application/json";

describe("the HTTP request", () => {
  it.each([
    ["malformed JSON", () => post('{"query": '), 400, "The request body is not valid JSON"],
    ["a JSON string", () => post('"{ __typename }"'), 400, "The request body is not valid JSON"],
    ["JSON null", () => post("null"), 400, "The request body is not valid JSON"],
    ["an empty batch", () => post("[]"), 400, "Operation batching disabled."],
    ["a batch", () => post(JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }])), 400, "Operation batching disabled."],
    ["an empty object", () => post("{}"), 400, "POST body missing, invalid Content-Type, or JSON object has no keys."],
    ["an empty query", () => post('{"query": ""}'), 400, "GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension."],
    ["a query that is not a string", () => post('{"query": 42}'), 400, "GraphQL queries must be strings."],
    [
      "variables as a string",
      () => post('{"query": "{ __typename }", "variables": "{}"}'),
      400,
      "`variables` in a POST body should be provided as an object, not a recursively JSON-encoded string.",
    ],
    ["variables as a list", () => post('{"query": "{ __typename }", "variables": [1]}'), 400, "`variables` in a POST body must be an object if provided."],
    [
      "operationName not a string",
      () => post('{"query": "{ __typename }", "operationName": 5}'),
      400,
      "`operationName` in a POST body must be a string if provided.",
    ],
    [
      "extensions as a string",
      () => post('{"query": "{ __typename }", "extensions": "x"}'),
      400,
      "`extensions` in a POST body should be provided as an object, not a recursively JSON-encoded string.",
    ],
    ["text/plain", () => post('{"query": "{ __typename }"}', "text/plain"), 415, NOT_JSON],
    ["a form", () => post("query=%7B__typename%7D", "application/x-www-form-urlencoded"), 415, NOT_JSON],
    ["multipart", () => post("--x\r\n\r\n{}\r\n--x--", "multipart/form-data; boundary=x"), 415, NOT_JSON],
    ["application/graphql", () => post("{ __typename }", "application/graphql"), 415, NOT_JSON],
    ["no content type", () => withToken({ method: "POST", body: new Blob(['{"query": "{ __typename }"}']) }), 415, NOT_JSON],
    ["a non-UTF charset", () => post('{"query": "{ __typename }"}', "application/json; charset=latin1"), 415, "The request body must be UTF-8 JSON"],
    ["UTF-8 bytes labelled UTF-16", () => post('{"query": "{ __typename }"}', "application/json; charset=utf-16"), 400, "The request body is not valid JSON"],
    [
      "a body over 100 kB",
      () => post(JSON.stringify({ query: "{ __typename }", variables: { x: "a".repeat(150_000) } })),
      413,
      "The request body is larger than 102400 bytes",
    ],
    [
      "PUT",
      () => withToken({ method: "PUT", headers: { "content-type": "application/json" }, body: '{"query": "{ __typename }"}' }),
      405,
      "Apollo Server supports only GET/POST requests.",
    ],
    ["DELETE", () => withToken({ method: "DELETE", headers: { "content-type": "application/json" } }), 405, "Apollo Server supports only GET/POST requests."],
  ])("refuses %s", async (_what, init, status, message) => {
    // Built in the test: the token exists only once beforeAll has run.
    expectError(await send(t.url, init()), status, "BAD_REQUEST", message);
  });

  it("refuses a mutation over GET with 405 and Allow: POST", async () => {
    const r = await send(get(`mutation { revokeConsent(id: "${atk.consents["chase"]}") { id } }`), withToken({ headers: PREFLIGHT }));
    expectError(r, 405, "BAD_REQUEST", "GET requests only support query operations, not mutation operations");
    expect(r.headers.get("allow")).toBe("POST");
  });

  // Without a token: a GET carrying `Authorization: Bearer` cannot be forged by a browser and is
  // answered since issue 15 (test/hardening/client-defaults.test.ts); this one could be.
  it("refuses a GET that a browser could send cross-site (CSRF prevention)", async () => {
    const r = await send(get("{ __typename }"));
    expectError(r, 400, "BAD_REQUEST", /^This operation has been blocked as a potential Cross-Site Request Forgery/);
  });

  it("refuses GET variables that are not JSON", async () => {
    expectError(
      await send(get("{ __typename }", "&variables=%7Bnope"), withToken({ headers: PREFLIGHT })),
      400,
      "BAD_REQUEST",
      "The variables search parameter contains invalid JSON.",
    );
  });

  it("answers in application/graphql-response+json when the client asks for it", async () => {
    const r = await send(
      t.url,
      withToken({ method: "POST", headers: { "content-type": "application/json", accept: "application/graphql-response+json" }, body: '{"query": ' }),
    );
    expect(r.headers.get("content-type")).toBe("application/graphql-response+json; charset=utf-8");
    expectError(r, 400, "BAD_REQUEST", "The request body is not valid JSON");
  });
});

const repeat = (count: number, make: (i: number) => string) => Array.from({ length: count }, (_, i) => make(i)).join(" ");
/** `{ consents { link { consents { link … } } } }`, `levels` fields deep. */
const nested = (levels: number) => {
  const fields = Array.from({ length: levels - 1 }, (_, i) => (i % 2 === 0 ? "consents" : "link"));
  return `{ ${fields.map((field) => `${field} {`).join(" ")} id ${"} ".repeat(levels - 1)}}`;
};
/** 2^levels expansions of one fragment: F0 spreads F1 twice, F1 spreads F2 twice, … */
const fragmentBomb = (levels: number) =>
  `{ ...F0 } ${repeat(levels, (i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`)} fragment F${levels} on Query { __typename }`;

describe("the document", () => {
  // Request errors under application/json: 200 with errors and no data, as the GraphQL-over-HTTP
  // spec says (was 400 before issue 15; under application/graphql-response+json they are 400,
  // test/hardening/client-defaults.test.ts).
  it.each([
    ["a syntax error", "{ accounts { id }", 200, "GRAPHQL_PARSE_FAILED", "Syntax Error: Expected Name, found <EOF>."],
    ["an unknown field", "{ accounts { iban } }", 200, "GRAPHQL_VALIDATION_FAILED", 'Cannot query field "iban" on type "Account".'],
    ["13 levels of nesting", nested(13), 200, "QUERY_TOO_COMPLEX", "The query has 13 levels of nested fields; at most 12 are allowed."],
    [
      "1,000 levels of nesting",
      "{ a ".repeat(1000) + "}".repeat(1000),
      200,
      "QUERY_TOO_COMPLEX",
      "The query has more than 2000 lexical tokens; at most 2000 are allowed.",
    ],
    ["16 aliases", `{ ${repeat(16, (i) => `a${i}: accounts { id }`)} }`, 200, "QUERY_TOO_COMPLEX", "The query has 16 aliased fields; at most 15 are allowed."],
    [
      "an alias bomb",
      `{ ${repeat(1000, (i) => `a${i}: accounts { id }`)} }`,
      200,
      "QUERY_TOO_COMPLEX",
      "The query has more than 2000 lexical tokens; at most 2000 are allowed.",
    ],
    [
      "a fragment bomb (2^30 expansions)",
      fragmentBomb(30),
      200,
      "QUERY_TOO_COMPLEX",
      "The query has more than 2000 selections with its fragments expanded; at most 2000 are allowed.",
    ],
    [
      "a fragment cycle",
      "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
      200,
      "GRAPHQL_VALIDATION_FAILED",
      'Cannot spread fragment "A" within itself via "B".',
    ],
    [
      "a fragment spreading itself",
      "{ ...A } fragment A on Query { accounts { id } ...A }",
      200,
      "GRAPHQL_VALIDATION_FAILED",
      'Cannot spread fragment "A" within itself.',
    ],
    [
      "51 directives",
      `{ ${repeat(51, () => "__typename @include(if: true)")} }`,
      200,
      "QUERY_TOO_COMPLEX",
      "The query has 51 directives; at most 50 are allowed.",
    ],
    [
      "a repeated directive",
      "{ __typename @skip(if: false) @skip(if: false) }",
      200,
      "GRAPHQL_VALIDATION_FAILED",
      'The directive "@skip" can only be used once at this location.',
    ],
    ["an unknown directive", "{ __typename @evil }", 200, "GRAPHQL_VALIDATION_FAILED", 'Unknown directive "@evil".'],
    [
      "two operations and no name",
      "query A { __typename } query B { __typename }",
      200,
      "OPERATION_RESOLUTION_FAILURE",
      "Must provide operation name if query contains multiple operations.",
    ],
  ])("refuses %s", async (_what, query, status, code, message) => {
    t.resetBankCalls();
    expectError(await postJson(t.url, { query }, atk.app), status, code, message);
    expect(Object.values(t.bankCalls()).reduce((sum, bank) => sum + bank.total, 0)).toBe(0);
  });

  it("refuses an operation name the document does not have", async () => {
    expectError(
      await postJson(t.url, { query: "query A { __typename }", operationName: "Nope" }, atk.app),
      200,
      "OPERATION_RESOLUTION_FAILURE",
      'Unknown operation named "Nope".',
    );
  });
});

describe("variables", () => {
  const REQUEST = `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id } }`;
  it.each([
    [
      "of the wrong type",
      `query($n: Int!) { accessLog(first: $n) { nodes { id } } }`,
      { n: "ten" },
      'Variable "$n" got invalid value "ten"; Int cannot represent non-integer value: "ten"',
    ],
    ["missing", `query($id: ID!) { node(id: $id) { id } }`, {}, 'Variable "$id" of required type "ID!" was not provided.'],
    ["null where required", `query($id: ID!) { node(id: $id) { id } }`, { id: null }, 'Variable "$id" of non-null type "ID!" must not be null.'],
    [
      "an operator object for an ID",
      `query($id: ID!) { node(id: $id) { id } }`,
      { id: { $gt: "" } },
      'Variable "$id" got invalid value { $gt: "" }; ID cannot represent value: { $gt: "" }',
    ],
    [
      "beyond 32 bits",
      `query($n: Int!) { accessLog(first: $n) { nodes { id } } }`,
      { n: 2 ** 40 },
      'Variable "$n" got invalid value 1099511627776; Int cannot represent non 32-bit signed integer value: 1099511627776',
    ],
    [
      "an impossible date",
      `query($d: LocalDate) { accounts { transactions(from: $d) { nodes { id } } } }`,
      { d: "2026-02-30" },
      'Variable "$d" got invalid value "2026-02-30"; Value is not a valid LocalDate: 2026-02-30',
    ],
    [
      "an extra input field",
      REQUEST,
      { input: { linkId: "x", scopes: ["accounts:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30, role: "admin" } },
      /Field "role" is not defined by type "RequestConsentInput"\.$/,
    ],
    [
      "an unknown enum value",
      `query($s: [ConsentStatus!]) { consents(status: $s) { id } }`,
      { s: ["ANY"] },
      'Variable "$s" got invalid value "ANY" at "s[0]"; Value "ANY" does not exist in "ConsentStatus" enum.',
    ],
  ])("refuses a variable %s", async (_what, query, variables, message) => {
    // Variable coercion is a request error: 200 under application/json (GraphQL-over-HTTP; was 400).
    expectError(await postJson(t.url, { query, variables }, atk.user), 200, "BAD_USER_INPUT", message);
  });

  it.each([0, -1, 101])("refuses a page size of %i", async (first) => {
    const r = await postJson(t.url, { query: `query($n: Int!) { accessLog(first: $n) { nodes { id } } }`, variables: { n: first } }, atk.user);
    expectError(r, 400, "BAD_USER_INPUT", "first must be a whole number from 1 to 100");
  });
});

describe("forged and broken tokens", () => {
  const sign = (claims: Record<string, unknown>, options: { secret?: string; alg?: string; audience?: string; issuer?: string; subject?: string } = {}) =>
    new SignJWT({ client_id: "messenger-test", ...claims })
      .setProtectedHeader({ alg: options.alg ?? "HS256" })
      .setSubject(options.subject ?? atk.userId)
      .setIssuer(options.issuer ?? t.config.jwt.issuer)
      .setAudience(options.audience ?? t.config.jwt.audience)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(options.secret ?? t.config.jwt.secret!));
  const tampered = () => {
    const [header, payload, signature] = atk.app.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    return [header, Buffer.from(JSON.stringify({ ...claims, sub: victim.userId })).toString("base64url"), signature].join(".");
  };
  const INVALID = "Invalid or expired token";
  it.each([
    ["no Authorization header", async () => undefined, "Missing or malformed bearer token"],
    ["Basic credentials", async () => "Basic YWxpY2U6cGFzc19nb29k", "Missing or malformed bearer token"],
    ["a bearer with spaces", async () => "Bearer a b", "Missing or malformed bearer token"],
    [
      'alg "none"',
      async () =>
        `Bearer ${new UnsecuredJWT({ client_id: "messenger-test" }).setSubject(atk.userId).setIssuer(t.config.jwt.issuer).setAudience(t.config.jwt.audience).setExpirationTime("1h").encode()}`,
      INVALID,
    ],
    ["another secret", async () => `Bearer ${await sign({}, { secret: "an-attackers-own-secret-of-32-chars-or-more" })}`, INVALID],
    ["another HMAC algorithm", async () => `Bearer ${await sign({}, { alg: "HS512" })}`, INVALID],
    ["a payload swapped under a valid signature", async () => `Bearer ${tampered()}`, INVALID],
    ["another audience", async () => `Bearer ${await sign({}, { audience: "someone-else" })}`, INVALID],
    ["another issuer", async () => `Bearer ${await sign({}, { issuer: "evil-idp" })}`, INVALID],
    ["an expired token", async () => `Bearer ${await t.token(atk.userId, { now: new Date(Date.now() - 2 * 3600_000) })}`, INVALID],
    ["no client_id", async () => `Bearer ${await sign({ client_id: undefined })}`, "Token has no valid client_id"],
    ["an injection in the subject", async () => `Bearer ${await sign({}, { subject: "' OR 1=1 --" })}`, "Token has no valid subject"],
  ])("refuses %s with 401", async (_what, authorization, message) => {
    const header = await authorization();
    const r = await send(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(header ? { authorization: header } : {}) },
      body: JSON.stringify({ query: DASHBOARD }),
    });
    expectError(r, 401, "UNAUTHENTICATED", message);
  });
});

const PAYLOADS = [
  "' OR '1'='1' --",
  "1; DROP TABLE links; --",
  "<script>alert(1)</script>",
  "../../../etc/passwd",
  "${jndi:ldap://127.0.0.1/a}",
  "{{7*7}}",
  "a\u0000b",
  "🏦".repeat(10),
];
type Outcome = { data: unknown } | { status: number; code: string };

describe("injection strings in every argument", () => {
  const REQUEST = `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id } }`;
  const consentInput = (override: Record<string, unknown>) => ({
    input: { linkId: atk.links["chase"], scopes: ["accounts:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30, ...override },
  });
  const cases: Array<[string, string, (p: string) => Record<string, unknown>, "app" | "user", Outcome]> = [
    ["node(id)", `query($id: ID!) { node(id: $id) { id } }`, (p) => ({ id: p }), "app", { data: { node: null } }],
    ["account(id)", `query($id: ID!) { account(id: $id) { id } }`, (p) => ({ id: p }), "app", { data: { account: null } }],
    ["authorizeConsent(id)", `mutation($id: ID!) { authorizeConsent(id: $id) { id } }`, (p) => ({ id: p }), "user", { status: 200, code: "NOT_FOUND" }],
    ["rejectConsent(id)", `mutation($id: ID!) { rejectConsent(id: $id) { id } }`, (p) => ({ id: p }), "user", { status: 200, code: "NOT_FOUND" }],
    ["renewConsent(id)", `mutation($id: ID!) { renewConsent(id: $id) { id } }`, (p) => ({ id: p }), "user", { status: 200, code: "NOT_FOUND" }],
    ["revokeConsent(id)", `mutation($id: ID!) { revokeConsent(id: $id) { id } }`, (p) => ({ id: p }), "app", { status: 200, code: "NOT_FOUND" }],
    [
      "unlinkInstitution(linkId)",
      `mutation($id: ID!) { unlinkInstitution(linkId: $id) { id } }`,
      (p) => ({ id: p }),
      "user",
      { status: 400, code: "BAD_USER_INPUT" },
    ],
    ["requestConsent linkId", REQUEST, (p) => consentInput({ linkId: p }), "app", { status: 400, code: "BAD_USER_INPUT" }],
    ["requestConsent purpose", REQUEST, (p) => consentInput({ purpose: p }), "app", { status: 400, code: "BAD_USER_INPUT" }],
    ["requestConsent scopes", REQUEST, (p) => consentInput({ scopes: [p] }), "app", { status: 400, code: "BAD_USER_INPUT" }],
    ["accounts(institutionIds)", `query($ids: [ID!]) { accounts(institutionIds: $ids) { id } }`, (p) => ({ ids: [p] }), "app", { data: { accounts: [] } }],
    [
      "transactions(from)",
      `query($d: LocalDate) { accounts { transactions(from: $d) { nodes { id } } } }`,
      (p) => ({ d: p }),
      "app",
      // A LocalDate variable that does not coerce: a request error, 200 under application/json (was 400).
      { status: 200, code: "BAD_USER_INPUT" },
    ],
    [
      "transactions(after)",
      `query($a: String) { accounts { transactions(after: $a) { nodes { id } } } }`,
      (p) => ({ a: p }),
      "app",
      { status: 400, code: "BAD_USER_INPUT" },
    ],
    [
      "consentEvents(consentId)",
      `query($id: ID) { consentEvents(consentId: $id) { nodes { id } } }`,
      (p) => ({ id: p }),
      "app",
      { status: 200, code: "NOT_FOUND" },
    ],
    [
      "consentEvents(after)",
      `query($a: String) { consentEvents(after: $a) { nodes { id } } }`,
      (p) => ({ a: p }),
      "user",
      { status: 400, code: "BAD_USER_INPUT" },
    ],
    ["accessLog(after)", `query($a: String) { accessLog(after: $a) { nodes { id } } }`, (p) => ({ a: p }), "user", { status: 400, code: "BAD_USER_INPUT" }],
    // An enum variable that does not coerce: a request error, 200 under application/json (was 400).
    ["consents(status)", `query($s: [ConsentStatus!]) { consents(status: $s) { id } }`, (p) => ({ s: [p] }), "app", { status: 200, code: "BAD_USER_INPUT" }],
  ];
  it.each(cases)("%s", async (argument, query, variables, who, outcome) => {
    // The accounts around a refused cursor are read and returned (transactions: null beside them).
    readBesideTheError = argument === "transactions(after)";
    for (const payload of PAYLOADS) {
      const r = await postJson(t.url, { query, variables: variables(payload) }, who === "app" ? atk.app : atk.user);
      if ("data" in outcome) {
        expect({ payload, status: r.status, body: r.body }).toEqual({ payload, status: 200, body: { data: outcome.data } });
      } else {
        const codes = new Set(r.body?.errors?.map((e) => e.extensions?.["code"]));
        expect({ payload, status: r.status, codes: [...codes] }).toEqual({ payload, status: outcome.status, codes: [outcome.code] });
      }
    }
  });

  it("never echoes an unsafe x-request-id", async () => {
    for (const payload of ["<script>alert(1)</script>", "' OR 1=1 --", "x".repeat(65)]) {
      const r = await postJson(t.url, { query: "{ __typename }" }, atk.app, { "x-request-id": payload });
      expect(r.status).toBe(200);
      expect(r.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});

describe("unknown and other users' IDs", () => {
  const one = async (query: string, variables: Record<string, unknown>, token: string) => postJson(t.url, { query, variables }, token);
  it("reads another user's objects as null", async () => {
    for (const id of [victimAccount, victimTransaction, encodeGlobalId("Account", randomUUID(), "acc-1")]) {
      expect((await one(`query($id: ID!) { node(id: $id) { id } }`, { id }, atk.app)).body).toEqual({ data: { node: null } });
    }
    expect((await one(`query($id: ID!) { account(id: $id) { id name } }`, { id: victimAccount }, atk.app)).body).toEqual({ data: { account: null } });
  });

  it.each([
    [
      "revoke another user's consent",
      `mutation($id: ID!) { revokeConsent(id: $id) { id } }`,
      () => ({ id: victim.consents["chase"] }),
      () => atk.app,
      "Consent not found",
    ],
    [
      "authorize another user's pending request",
      `mutation($id: ID!) { authorizeConsent(id: $id) { id } }`,
      () => ({ id: victimPending }),
      () => atk.user,
      "Consent not found",
    ],
    [
      "reject another user's pending request",
      `mutation($id: ID!) { rejectConsent(id: $id) { id } }`,
      () => ({ id: victimPending }),
      () => atk.user,
      "Consent not found",
    ],
    [
      "read another user's consent events",
      `query($id: ID) { consentEvents(consentId: $id) { nodes { id } } }`,
      () => ({ id: victim.consents["chase"] }),
      () => atk.app,
      "Consent not found",
    ],
    [
      "ask consent on another user's link",
      `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id } }`,
      () => ({ input: { linkId: victim.links["chase"], scopes: ["accounts:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30 } }),
      () => atk.app,
      "Link not found",
    ],
    [
      "unlink another user's bank",
      `mutation($id: ID!) { unlinkInstitution(linkId: $id) { id } }`,
      () => ({ id: victim.links["chase"] }),
      () => atk.user,
      "Link not found",
    ],
    [
      "revoke a consent that does not exist",
      `mutation($id: ID!) { revokeConsent(id: $id) { id } }`,
      () => ({ id: encodeGlobalId("Consent", randomUUID(), randomUUID()) }),
      () => atk.app,
      "Consent not found",
    ],
  ])("refuses to %s with NOT_FOUND", async (_what, query, variables, token, message) => {
    const r = await one(query, variables(), token());
    expectError(r, 200, "NOT_FOUND", message);
    expect(r.body!.data).toBeNull();
  });

  it("refuses one app revoking another app's consent for the same user", async () => {
    const otherApp = await t.token(atk.userId, { client: "another-app" });
    expectError(
      await one(`mutation($id: ID!) { revokeConsent(id: $id) { id } }`, { id: atk.consents["chase"] }, otherApp),
      200,
      "NOT_FOUND",
      "Consent not found",
    );
  });

  it("leaves the victim's consents as they were", async () => {
    const mine = await t.gql(`{ consents { id status } }`, {}, victim.user);
    expect(new Map(mine.body.data.consents.map((c: { id: string; status: string }) => [c.id, c.status]))).toEqual(
      new Map([
        [victim.consents["chase"], "AUTHORIZED"],
        [victimPending, "AWAITING_AUTHORIZATION"],
      ]),
    );
  });
});
