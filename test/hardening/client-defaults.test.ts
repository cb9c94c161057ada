/**
 * Clients with their defaults, over real HTTP: urql's GET query (a bearer token, no
 * preflight-forcing header) is answered; a GET a browser page on another site could send is
 * still refused; request errors answer 200 under application/json and 400 under
 * application/graphql-response+json, as the GraphQL-over-HTTP spec says.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { postJson, send } from "./http-probe.js";

/** What urql sends on a GET query by default (`preferGetMethod`), Accept header included. */
const URQL_ACCEPT = "application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed";

let t: TestGateway;
let token = "";
beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: ["citi"] } });
  token = await t.token("defaults-user");
});
afterAll(() => t?.close());

const getUrl = (query: string) => `${t.url}?${new URLSearchParams({ query, operationName: "Who" })}`;
const WHO = "query Who { __typename }";

describe("GraphQL GET and cross-site request forgery", () => {
  it("answers urql's default GET query: a bearer token and no preflight header → 200 and data", async () => {
    const r = await send(getUrl(WHO), { headers: { authorization: `Bearer ${token}`, accept: URQL_ACCEPT } });
    expect({ status: r.status, body: r.body }).toEqual({ status: 200, body: { data: { __typename: "Query" } } });
  });

  it.each([
    ["no Authorization", {}],
    ["a cookie only", { cookie: "session=1" }],
    ["Basic credentials (a browser attaches these by itself)", { authorization: "Basic dXNlcjpwYXNz" }],
    ["an empty bearer", { authorization: "Bearer " }],
    ["a form content type", { "content-type": "application/x-www-form-urlencoded" }],
  ])("refuses a GET with %s and no preflight header, as a cross-site forgery (400 BAD_REQUEST)", async (_what, headers: Record<string, string>) => {
    const r = await send(getUrl(WHO), { headers });
    expect(r.status).toBe(400);
    expect(r.body?.errors?.[0]?.extensions?.["code"]).toBe("BAD_REQUEST");
    expect(r.body?.errors?.[0]?.message).toMatch(/^This operation has been blocked as a potential Cross-Site Request Forgery/);
    expect(r.body?.data).toBeUndefined();
  });

  it("still runs a GET without a token when it carries a preflight header (then it is refused as UNAUTHENTICATED, not as a forgery)", async () => {
    const r = await send(getUrl(WHO), { headers: { "apollo-require-preflight": "true" } });
    expect(r.status).toBe(401);
    expect(r.body?.errors?.[0]?.extensions?.["code"]).toBe("UNAUTHENTICATED");
  });

  it("never runs a mutation over GET, bearer or not (405, Allow: POST)", async () => {
    const r = await send(`${t.url}?${new URLSearchParams({ query: "mutation { __typename }" })}`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(405);
    expect(r.headers.get("allow")).toBe("POST");
  });
});

describe("request error statuses by media type (GraphQL-over-HTTP)", () => {
  const cases = [
    ["a syntax error", "{ __typename", "GRAPHQL_PARSE_FAILED"],
    ["an unknown field", "{ nope }", "GRAPHQL_VALIDATION_FAILED"],
    ["too many aliases", `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(" ")} }`, "QUERY_TOO_COMPLEX"],
  ] as const;

  it.each(cases)("%s: 200 under application/json, with errors and no data", async (_what, query, code) => {
    const r = await postJson(t.url, { query }, token, { accept: "application/json" });
    expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect({ status: r.status, code: r.body?.errors?.[0]?.extensions?.["code"], hasData: "data" in (r.body ?? {}) }).toEqual({
      status: 200,
      code,
      hasData: false,
    });
  });

  it.each(cases)("%s: 400 under application/graphql-response+json", async (_what, query, code) => {
    const r = await postJson(t.url, { query }, token, { accept: "application/graphql-response+json" });
    expect(r.headers.get("content-type")).toBe("application/graphql-response+json; charset=utf-8");
    expect({ status: r.status, code: r.body?.errors?.[0]?.extensions?.["code"] }).toEqual({ status: 400, code });
  });

  it("variables that do not coerce: 200 under application/json, 400 under application/graphql-response+json", async () => {
    const body = { query: "query($s: [ConsentStatus!]) { consents(status: $s) { id } }", variables: { s: ["ANY"] } };
    const json = await postJson(t.url, body, token);
    const graphqlResponse = await postJson(t.url, body, token, { accept: "application/graphql-response+json" });
    expect([json.status, graphqlResponse.status]).toEqual([200, 400]);
    expect(json.body?.errors?.[0]?.extensions?.["code"]).toBe("BAD_USER_INPUT");
  });

  it("a body that is not JSON is not a GraphQL-over-HTTP request: 400 under both", async () => {
    const json = await postJson(t.url, '{"query": ', token);
    const graphqlResponse = await postJson(t.url, '{"query": ', token, { accept: "application/graphql-response+json" });
    expect([json.status, graphqlResponse.status]).toEqual([400, 400]);
  });
});
