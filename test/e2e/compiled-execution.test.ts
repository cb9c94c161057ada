/**
 * A document runs on graphql-js the first time and compiled (graphql-jit) from its second run on
 * (src/server/execution/compiled-queries.ts). The two must not be told apart: over real HTTP,
 * each operation here answers its first, second and third run with the same status and the same
 * bytes, whether it reads data (lists, nested objects, scalars, enums, connections), takes
 * variables, uses fragments, aliases and @include / @skip, meets a consent that does not cover a
 * field, or is refused for a bad variable. The upstream cache keeps the banks' answers for the
 * whole file, so they are the same from one run to the next.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DASHBOARD_QUERY, linkedUser } from "../support/dashboard.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";

let t: TestGateway;
let user: TestUser;
/** Granted accounts:read and balances:read at Chase only: transactions and the owner are refused there. */
let narrow: TestUser;

beforeAll(async () => {
  t = await startTestGateway({ env: { UPSTREAM_CACHE_TTL_MS: String(10 * 60_000) } });
  user = await linkedUser(t, "compiled");
  narrow = await t.newUser("compiled-narrow", ["chase"]);
  await t.grant(narrow, "chase", ["accounts:read", "balances:read"]);
});
afterAll(() => t?.close());

/** Status and body of `runs` runs of the same request. */
async function runs(query: string, variables: Record<string, unknown>, app: string, count = 3): Promise<Array<{ status: number; body: string }>> {
  const answers = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${app}` },
      body: JSON.stringify({ query, variables }),
    });
    answers.push({ status: response.status, body: await response.text() });
  }
  return answers;
}

/** Runs `query` three times and expects one answer; returns it parsed. */
async function sameEachRun(query: string, variables: Record<string, unknown>, app: string) {
  const [first, ...later] = await runs(query, variables, app);
  for (const answer of later) expect(answer).toEqual(first);
  return { status: first!.status, body: JSON.parse(first!.body) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> } };
}

describe("a document's compiled runs answer as its first run did", () => {
  it("the dashboard: every account, balance and page of transactions", async () => {
    const { status, body } = await sameEachRun(DASHBOARD_QUERY, {}, user.app);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect((body.data as { accounts: unknown[] }).accounts.length).toBeGreaterThan(6);
  });

  it("variables, fragments, aliases, @include and @skip, __typename", async () => {
    const query = `query Shapes($first: Int!, $withName: Boolean!, $withoutMask: Boolean!) {
      mine: accounts { ...Card }
      institutions { __typename id name }
    }
    fragment Card on Account {
      __typename id name @include(if: $withName) mask @skip(if: $withoutMask)
      latest: transactions(first: $first) { edges { cursor node { id amount { amount currency } } } pageInfo { hasNextPage endCursor } }
    }`;
    for (const variables of [
      { first: 2, withName: true, withoutMask: false },
      { first: 3, withName: false, withoutMask: true },
    ]) {
      const { status, body } = await sameEachRun(query, variables, user.app);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
    }
  });

  it("a field the consent does not cover: null there, the same error at the same path", async () => {
    const query = `{ accounts { id balance { current { amount } } transactions(first: 2) { nodes { id } } owner { name } } }`;
    const { status, body } = await sameEachRun(query, {}, narrow.app);
    expect(status).toBe(200);
    expect(body.errors?.map((e) => e.extensions?.["code"])).toContain("UNAUTHORIZED_FIELD_OR_TYPE");
  });

  it("a bad variable: graphql-js's refusal, word for word, and nothing runs", async () => {
    const query = `query Page($first: Int!) { accounts { id transactions(first: $first) { nodes { id } } } }`;
    t.resetBankCalls();
    const { body } = await sameEachRun(query, { first: "ten" }, user.app);
    expect(body.data).toBeUndefined();
    expect(body.errors?.map((e) => e.extensions?.["code"])).toEqual(["BAD_USER_INPUT"]);
    expect(Object.values(t.bankCalls()).reduce((sum, bank) => sum + bank.total, 0)).toBe(0);
  });

  it("introspection, which graphql-js answers every time", async () => {
    const { status, body } = await sameEachRun(`{ __schema { queryType { name } } __type(name: "Account") { name } }`, {}, user.app);
    expect(status).toBe(200);
    expect(body.data).toEqual({ __schema: { queryType: { name: "Query" } }, __type: { name: "Account" } });
  });
});
