/**
 * The access log records what was delivered (issue 11, item 4): a response that carries anything
 * derived from a scope's bank data — a `__typename`, a count — leaves one record per (link, scope);
 * a read the bank failed leaves none. And every keyset cursor the API accepts is checked before it
 * reaches the store: a forged one is BAD_USER_INPUT, not a 500.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { SETUP_TIMEOUT_MS, dataOf, onlyError } from "./consent-harness.js";

const BANKS = ["chase", "amex"];

let t: TestGateway;
let alice: TestUser;

beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: BANKS } });
  alice = await t.newUser("delivered", BANKS);
  await t.grant(alice, "chase", ["accounts:read", "balances:read"]);
  await t.grant(alice, "amex", ["accounts:read", "transactions:read"]);
}, SETUP_TIMEOUT_MS);
afterAll(() => t?.close());

/** Sends `query` under a fresh request id; returns the response and that request's (institution, scope) records. */
async function read(query: string, variables: Record<string, unknown> = {}) {
  const requestId = `req-${randomUUID()}`;
  const response = await t.gql(query, variables, alice.app, { "x-request-id": requestId });
  const rows = await t.gateway.services.db.query<{ institution_id: string; scope: string }>(
    `SELECT institution_id, scope FROM access_log, unnest(institution_ids, scopes) AS r(institution_id, scope) WHERE request_id = $1 ORDER BY institution_id, scope`,
    [requestId],
  );
  return { response, records: rows.map((r) => [r.institution_id, r.scope]) };
}

describe("a response that carries anything derived from bank data is on the record", () => {
  it("`{ accounts { __typename } }` tells how many accounts each bank holds: accounts:read is recorded at both", async () => {
    const { response, records } = await read(`{ accounts { __typename } }`);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.accounts.length).toBeGreaterThan(1);
    expect(records).toEqual([
      ["amex", "accounts:read"],
      ["chase", "accounts:read"],
    ]);
  });

  it("`node(id: $tx) { __typename }` tells that a transaction exists: transactions:read is recorded, nothing else", async () => {
    const listed = dataOf(await t.gql(`{ accounts(institutionIds: ["amex"]) { transactions(first: 1) { nodes { id } } } }`, {}, alice.app), "transactions");
    const id = listed.accounts.flatMap((a: any) => a.transactions?.nodes ?? [])[0]?.id;
    expect(id).toEqual(expect.any(String));
    const { response, records } = await read(`query Probe($id: ID!) { node(id: $id) { __typename } }`, { id });
    expect(response.body).toEqual({ data: { node: { __typename: "Transaction" } } });
    expect(records).toEqual([["amex", "transactions:read"]]);
  });

  it("a field withheld for want of consent reads no bank and leaves no record for its scope", async () => {
    const { response, records } = await read(`{ accounts(institutionIds: ["chase"]) { id transactions(first: 1) { nodes { id } } } }`);
    expect(response.body.errors?.every((e) => e.extensions?.["code"] === "UNAUTHORIZED_FIELD_OR_TYPE")).toBe(true);
    expect(records).toEqual([["chase", "accounts:read"]]);
  });
});

describe("a bank read that failed under a granted scope leaves no record", () => {
  it("the bank answers 503: the accounts item is an error and the log has nothing for the request", async () => {
    await t.mocks.bank("chase").setFaults({ errorRate: 1 });
    let result;
    try {
      result = await read(`{ accounts(institutionIds: ["chase"]) { __typename } }`);
    } finally {
      await t.mocks.bank("chase").resetFaults();
    }
    expect(result.response.body.data).toEqual({ accounts: [null] });
    expect(onlyError(result.response).extensions).toMatchObject({ code: "INSTITUTION_ERROR", institutionId: "chase" });
    expect(result.records).toEqual([]);
  });
});

describe("forged cursors and IDs are refused before the store", () => {
  const forged = (text: string) => Buffer.from(text).toString("base64url");
  const CASES: Array<[string, string]> = [
    ["an id beyond bigint", forged("access_log_entry:9999999999999999999")],
    ["another list's kind", forged("consent_event:5")],
    ["id zero", forged("access_log_entry:0")],
    ["not base64url at all", "%%%not-a-cursor%%%"],
    ["a very long text", "A".repeat(10_000)],
  ];

  it.each(CASES)("accessLog(after: %s) is BAD_USER_INPUT", async (_what, after) => {
    const response = await t.gql(`query Log($after: String) { accessLog(first: 5, after: $after) { nodes { id } } }`, { after }, alice.user);
    expect(onlyError(response).extensions?.["code"]).toBe("BAD_USER_INPUT");
  });

  it.each([
    ["an id beyond bigint", forged("consent_event:9999999999999999999")],
    ["another list's kind", forged("access_log_entry:5")],
    ["leading zeros (not a cursor we issue)", forged("consent_event:0005")],
  ])("consentEvents(after: %s) is BAD_USER_INPUT", async (_what, after) => {
    const response = await t.gql(`query Events($after: String) { consentEvents(first: 5, after: $after) { nodes { id } } }`, { after }, alice.user);
    expect(onlyError(response).extensions?.["code"]).toBe("BAD_USER_INPUT");
  });

  it("a cursor the API issued still pages", async () => {
    const first = dataOf(await t.gql(`{ accessLog(first: 1) { nodes { id } pageInfo { endCursor hasNextPage } } }`, {}, alice.user), "log").accessLog;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = await t.gql(
      `query Log($after: String) { accessLog(first: 1, after: $after) { nodes { id } } }`,
      { after: first.pageInfo.endCursor },
      alice.user,
    );
    expect(dataOf(next, "page 2").accessLog.nodes).toHaveLength(1);
  });

  it.each([
    ["consentEvents(consentId:)", `{ consentEvents(consentId: "${forged(JSON.stringify(["Consent", "x", "not-a-uuid"]))}") { nodes { id } } }`, "NOT_FOUND"],
    ["revokeConsent(id:)", `mutation { revokeConsent(id: "${forged(JSON.stringify(["Consent", "x", "'; drop table consents; --"]))}") { id } }`, "NOT_FOUND"],
    ["unlinkInstitution(linkId:)", `mutation { unlinkInstitution(linkId: "${forged(JSON.stringify(["Link", "99999999999999999999"]))}") { id } }`, "NOT_FOUND"],
  ])("%s with a forged ID is a clear client error, not a 500", async (_what, query, code) => {
    const response = await t.gql(query, {}, alice.user);
    expect(onlyError(response).extensions?.["code"]).toBe(code);
  });
});
