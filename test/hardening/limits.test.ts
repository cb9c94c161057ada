/**
 * Every request limit at its boundary, over real HTTP: at the limit the request runs, one past it
 * the request is refused whole (QUERY_TOO_COMPLEX naming the limit, or 413 for the body) before
 * any resolver runs. The gateway runs with small limits so each boundary is easy to build.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { postJson } from "./http-probe.js";

const LIMITS = {
  MAX_QUERY_DEPTH: "4",
  MAX_QUERY_ALIASES: "3",
  MAX_QUERY_DIRECTIVES: "3",
  MAX_QUERY_TOKENS: "60",
  MAX_QUERY_SELECTIONS: "12",
  MAX_QUERY_COST: "201",
  MAX_BODY_BYTES: "2000",
};

let t: TestGateway;
let user: TestUser;
beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["citi"] }, env: LIMITS });
  user = await t.newUser("limits", ["citi"]);
  await t.grant(user, "citi", ["accounts:read", "transactions:read"]);
});
afterAll(() => t?.close());

const repeat = (count: number, text: string) => Array.from({ length: count }, () => text).join(" ");

interface RequestOptions {
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Default: the app's token for the test user. */
  token?: string;
}

/**
 * Runs `query` and expects it refused with QUERY_TOO_COMPLEX for `limit`: a request error, so 200
 * under application/json (GraphQL-over-HTTP; 400 before issue 15) and 400 under
 * application/graphql-response+json, with no data either way.
 */
async function expectRefused(
  query: string,
  limit: string,
  max: number,
  actual?: number,
  { variables = {}, operationName, token = user.app }: RequestOptions = {},
) {
  const strict = await postJson(t.url, { query, variables, operationName }, token, { accept: "application/graphql-response+json" });
  expect(strict.status).toBe(400);
  expect(strict.body?.errors?.[0]?.extensions?.["code"]).toBe("QUERY_TOO_COMPLEX");
  const r = await postJson(t.url, { query, variables, operationName }, token);
  expect(r.status).toBe(200);
  expect(r.body?.data).toBeUndefined();
  expect(r.body?.errors).toHaveLength(1);
  expect(r.body!.errors![0]!.extensions).toEqual({ code: "QUERY_TOO_COMPLEX", limit, max, ...(actual === undefined ? {} : { actual }) });
  return r;
}

/** Runs `query` and expects data with no error. */
async function expectRuns(query: string, { variables = {}, operationName, token = user.app }: RequestOptions = {}) {
  const r = await postJson(t.url, { query, variables, operationName }, token);
  expect(r.body?.errors).toBeUndefined();
  expect(r.status).toBe(200);
  expect(r.body?.data).toBeTruthy();
  return r;
}

describe("depth (MAX_QUERY_DEPTH=4)", () => {
  it("runs a query 4 fields deep", async () => {
    await expectRuns(`{ consents { link { institution { id } } } }`);
  });
  it("refuses a query 5 fields deep", async () => {
    const r = await expectRefused(`{ consents { link { consents { link { id } } } } }`, "DEPTH", 4, 5);
    expect(r.body!.errors![0]!.message).toBe("The query has 5 levels of nested fields; at most 4 are allowed.");
  });
  it("counts depth through fragments where they are spread", async () => {
    await expectRuns(`{ ...Q } fragment Q on Query { consents { ...C } } fragment C on Consent { link { institution { id } } }`);
    await expectRefused(`{ ...Q } fragment Q on Query { consents { ...C } } fragment C on Consent { link { consents { link { id } } } }`, "DEPTH", 4, 5);
  });
});

describe("aliases (MAX_QUERY_ALIASES=3)", () => {
  it("runs 3 aliased fields", async () => {
    const r = await expectRuns(`{ a: __typename b: __typename c: __typename }`);
    expect(r.body!.data).toEqual({ a: "Query", b: "Query", c: "Query" });
  });
  it("refuses 4", async () => {
    await expectRefused(`{ a: __typename b: __typename c: __typename d: __typename }`, "ALIASES", 3, 4);
  });
});

describe("directives (MAX_QUERY_DIRECTIVES=3)", () => {
  it("runs 3 directives", async () => {
    await expectRuns(`{ ${repeat(3, "__typename @include(if: true)")} }`);
  });
  it("refuses 4", async () => {
    await expectRefused(`{ ${repeat(4, "__typename @include(if: true)")} }`, "DIRECTIVES", 3, 4);
  });
});

describe("tokens (MAX_QUERY_TOKENS=60)", () => {
  // `{ accounts ( institutionIds : [ …k… ] ) { id } }` is 12 + k tokens.
  const withTokens = (total: number) => `{ accounts(institutionIds: [${repeat(total - 12, '"x"')}]) { id } }`;
  it("runs a document of exactly 60 tokens", async () => {
    const r = await expectRuns(withTokens(60));
    expect(r.body!.data).toEqual({ accounts: [] });
  });
  it("refuses 61 before parsing", async () => {
    const r = await expectRefused(withTokens(61), "TOKENS", 60);
    expect(r.body!.errors![0]!.message).toBe("The query has more than 60 lexical tokens; at most 60 are allowed.");
  });
  it("counts GET query strings too", async () => {
    const url = `${t.url}?query=${encodeURIComponent(withTokens(61))}`;
    const r = await fetch(url, { headers: { authorization: `Bearer ${user.app}`, "apollo-require-preflight": "true" } });
    // A request error under application/json: 200 (GraphQL-over-HTTP; was 400).
    expect(r.status).toBe(200);
    expect(((await r.json()) as any).errors[0].extensions).toEqual({ code: "QUERY_TOO_COMPLEX", limit: "TOKENS", max: 60 });
  });
});

describe("selections with fragments expanded (MAX_QUERY_SELECTIONS=12)", () => {
  // The spread itself counts one, plus what the fragment holds.
  it("runs 12", async () => {
    await expectRuns(`{ ...F } fragment F on Query { ${repeat(11, "__typename")} }`);
  });
  it("refuses 13", async () => {
    await expectRefused(`{ ...F } fragment F on Query { ${repeat(12, "__typename")} }`, "SELECTIONS", 12);
  });
  it("multiplies nested spreads: a fragment bomb is refused though its text is short", async () => {
    // C = 1; B = 2 + 2·C = 4; A = 2 + 2·B = 10; operation = 1 + A = 11.
    await expectRuns(`{ ...A } fragment A on Query { ...B ...B } fragment B on Query { ...C ...C } fragment C on Query { __typename }`);
    // One level more: D = 1, C = 4, B = 10, A = 22, operation = 23.
    await expectRefused(
      `{ ...A } fragment A on Query { ...B ...B } fragment B on Query { ...C ...C } fragment C on Query { ...D ...D } fragment D on Query { __typename }`,
      "SELECTIONS",
      12,
    );
  });
});

describe("cost (MAX_QUERY_COST=201)", () => {
  // accessLog(first: n) { nodes { id } } costs 1 + n × (nodes 1 + id 1) = 1 + 2n; the user's own token reads it.
  it("runs a query costing exactly 201", async () => {
    await expectRuns(`{ accessLog(first: 100) { nodes { id } } }`, { token: user.user });
  });
  it("refuses 202", async () => {
    const r = await expectRefused(`{ accessLog(first: 100) { nodes { id } } __typename }`, "COST", 201, 202, { token: user.user });
    expect(r.body!.errors![0]!.message).toBe("The query has 202 cost units (lists count once per item they can hold); at most 201 are allowed.");
  });
  it("reads `first` from the variables", async () => {
    const query = `query($n: Int!) { accessLog(first: $n) { nodes { id } } __typename }`;
    await expectRuns(query, { variables: { n: 99 }, token: user.user });
    await expectRefused(query, "COST", 201, 202, { variables: { n: 100 }, token: user.user });
  });
  it("estimates a repeated query again for each set of variables and each operation (estimates are remembered per document)", async () => {
    const query = `query Small($n: Int!) { accessLog(first: $n) { nodes { id } } } query Big($n: Int!) { accessLog(first: $n) { nodes { id } } __typename }`;
    for (let round = 0; round < 2; round++) {
      await expectRuns(query, { variables: { n: 100 }, operationName: "Small", token: user.user });
      await expectRefused(query, "COST", 201, 202, { variables: { n: 100 }, operationName: "Big", token: user.user });
      await expectRuns(query, { variables: { n: 99 }, operationName: "Big", token: user.user });
      await expectRefused(query, "COST", 201, 1001, { variables: { n: 500 }, operationName: "Small", token: user.user });
    }
  });
  it("uses the argument's default when `first` is left out", async () => {
    // transactions' default page is 20: accounts 1 + 10 × (transactions 1 + 20 × (nodes 1 + id 1)) = 411.
    await expectRefused(`{ accounts { transactions { nodes { id } } } }`, "COST", 201, 411);
  });
  it("refuses before any resolver runs: no bank is called", async () => {
    t.resetBankCalls();
    await expectRefused(`{ accounts { id transactions(first: 100) { nodes { id } } } }`, "COST", 201, 2021);
    expect(t.bankCalls()["citi"]!.total).toBe(0);
  });
});

describe("request body (MAX_BODY_BYTES=2000)", () => {
  const bodyOfLength = (length: number) => {
    const base = JSON.stringify({ query: "{ __typename }", variables: { pad: "" } }).length;
    const body = JSON.stringify({ query: "{ __typename }", variables: { pad: "x".repeat(length - base) } });
    expect(Buffer.byteLength(body)).toBe(length);
    return body;
  };
  it("accepts a body of exactly 2000 bytes", async () => {
    const r = await postJson(t.url, bodyOfLength(2000), user.app);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { __typename: "Query" } });
  });
  it("refuses 2001 bytes with 413 and a JSON error", async () => {
    const r = await postJson(t.url, bodyOfLength(2001), user.app);
    expect(r.status).toBe(413);
    expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(r.body).toEqual({ errors: [{ message: "The request body is larger than 2000 bytes", extensions: { code: "BAD_REQUEST" } }] });
  });
});

describe("batching", () => {
  it("is off: a batch is refused with 400, nothing runs", async () => {
    const r = await postJson(t.url, [{ query: "{ __typename }" }, { query: "{ __typename }" }], user.app);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ message: "Operation batching disabled.", extensions: { code: "BAD_REQUEST" } }] });
  });
});

describe("defaults", () => {
  it("are the documented ones", () => {
    expect(loadConfig({}).limits).toEqual({
      maxBodyBytes: 102_400,
      maxTokens: 2000,
      maxDepth: 12,
      maxAliases: 15,
      maxDirectives: 50,
      maxSelections: 2000,
      maxCost: 50_000,
    });
  });
  it.each(["MAX_QUERY_DEPTH", "MAX_QUERY_COST", "MAX_QUERY_TOKENS", "MAX_BODY_BYTES", "MAX_QUERY_SELECTIONS"])(
    "refuse a non-positive %s at start-up",
    (name) => {
      expect(() => loadConfig({ [name]: "0" })).toThrow(`Invalid configuration: ${name}`);
    },
  );
});
