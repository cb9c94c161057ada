/**
 * Object-level authorization (BOLA): user B, with the app's token and with their own user-present
 * token, presents user A's global IDs, forged IDs and garbage. Every answer must be exactly the
 * answer for an object that does not exist; mutations on A's objects answer NOT_FOUND and change
 * nothing A can see.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type GraphQLResponse, type TestGateway, type TestUser } from "../support/gateway.js";
import {
  CONSENT_FIELDS,
  DATA_SCOPES,
  SETUP_TIMEOUT_MS,
  consentsOf,
  dataOf,
  decide,
  linkAs,
  onlyError,
  requestConsent,
  totalCallsAt,
} from "./consent-harness.js";

const BANKS = ["chase", "amex"];

/** An attacker sees IDs are base64url JSON arrays; these helpers are what they would write. */
const encode = (parts: unknown): string => Buffer.from(JSON.stringify(parts)).toString("base64url");
const decode = (id: string): string[] => JSON.parse(Buffer.from(id, "base64url").toString("utf8"));
/** The same ID with its link swapped for one that exists nowhere. */
const withUnknownLink = (id: string): string => {
  const [kind, , ...rest] = decode(id);
  return encode([kind, randomUUID(), ...rest]);
};

const PROBE = `query Probe($id: ID!) {
  node(id: $id) {
    id __typename
    ... on Account { name mask balance { current { amount } } owner { name } }
    ... on Transaction { amount { amount } receipt { id } account { id } }
    ... on Receipt { total { amount } merchantName }
    ... on Link { linkStatus: status accounts { id } }
    ... on Consent { consentStatus: status scopes clientId }
  }
}`;
const ACCOUNT_PROBE = `query AccountProbe($id: ID!) { account(id: $id) { id name mask balance { current { amount } } } }`;

let t: TestGateway;
let alice: TestUser;
let bob: TestUser;
/** Alice's IDs by kind. */
const ids: Record<"Account" | "Transaction" | "Receipt" | "Link" | "Consent" | "AwaitingConsent", string> = {} as never;

beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: BANKS } });
  alice = await t.newUser("bola-a", BANKS);
  bob = await t.newUser("bola-b", []);
  for (const bank of BANKS) {
    await linkAs(t, bob, bank, "bob");
    await t.grant(alice, bank, [...DATA_SCOPES]);
    await t.grant(bob, bank, [...DATA_SCOPES]);
  }
  const seen = dataOf(
    await t.gql(`{ accounts { id institution { id } transactions(first: 20) { nodes { id receipt { id } } } } }`, {}, alice.app),
    "alice's accounts",
  );
  const amex = seen.accounts.filter((a: any) => a.institution.id === "amex");
  const withReceipt = amex.flatMap((a: any) => a.transactions.nodes).find((n: any) => n.receipt);
  ids.Account = seen.accounts[0].id;
  ids.Transaction = withReceipt.id;
  ids.Receipt = withReceipt.receipt.id;
  ids.Link = alice.links["chase"]!;
  ids.Consent = alice.consents["chase"]!;
  ids.AwaitingConsent = dataOf(await requestConsent(t, alice, "amex", { scopes: ["accounts:read"] }), "awaiting").requestConsent.id;
}, SETUP_TIMEOUT_MS);
afterAll(() => t?.close());

/** Everything Alice can see about her own objects, to prove nothing changed. */
async function aliceView() {
  const read = dataOf(await t.gql(`{ links { id status } accounts { id } }`, {}, alice.app), "alice read");
  const consents = (await consentsOf(t, alice.user)).map((c) => [c.id, c.status]);
  const events = dataOf(await t.gql(`{ consentEvents(first: 100) { nodes { id type } } }`, {}, alice.user), "events").consentEvents.nodes;
  return { read, consents, events };
}

const tokens = () => [
  { who: "bob's app token", token: bob.app },
  { who: "bob's user token", token: bob.user },
];

describe.each(["Account", "Transaction", "Receipt", "Link", "Consent"] as const)("alice's %s ID in bob's hands", (kind) => {
  it("finds the object for alice herself (the probe is not vacuous)", async () => {
    for (const token of [alice.app, alice.user]) {
      const own = await t.gql(PROBE, { id: ids[kind] }, token);
      expect(own.body.errors).toBeUndefined();
      expect(own.body.data.node).toMatchObject({ id: ids[kind], __typename: kind });
    }
  });

  it("answers exactly as for an ID that does not exist, without a bank call", async () => {
    for (const { who, token } of tokens()) {
      t.resetBankCalls();
      const foreign = await t.gql(PROBE, { id: ids[kind] }, token);
      const missing = await t.gql(PROBE, { id: withUnknownLink(ids[kind]) }, token);
      expect(foreign.status, who).toBe(200);
      expect(foreign.body, who).toEqual(missing.body);
      expect(foreign.body, who).toEqual({ data: { node: null } });
      for (const bank of BANKS) expect(totalCallsAt(t, bank), `${who} at ${bank}`).toBe(0);
    }
  });
});

it("account(id:) with alice's account ID answers as for a missing account", async () => {
  for (const { who, token } of tokens()) {
    const foreign = await t.gql(ACCOUNT_PROBE, { id: ids.Account }, token);
    const missing = await t.gql(ACCOUNT_PROBE, { id: withUnknownLink(ids.Account) }, token);
    expect(foreign.body, who).toEqual(missing.body);
    expect(foreign.body, who).toEqual({ data: { account: null } });
  }
});

it("bob's own link with alice's local IDs finds nothing of alice's", async () => {
  const [, , accountLocal] = decode(ids.Account);
  const [, , ...transactionParts] = decode(ids.Transaction);
  const [, , consentLocal] = decode(ids.Consent);
  const [, , receiptLocal] = decode(ids.Receipt);
  const forged = [
    encode(["Account", decode(bob.links["chase"]!)[1], accountLocal]),
    encode(["Transaction", decode(bob.links["amex"]!)[1], ...transactionParts]),
    encode(["Receipt", decode(bob.links["amex"]!)[1], receiptLocal]),
    encode(["Consent", decode(bob.links["chase"]!)[1], consentLocal]),
  ];
  for (const id of forged) {
    for (const { who, token } of tokens()) {
      const response = await t.gql(PROBE, { id }, token);
      expect(response.body, `${who}: ${decode(id).join(",")}`).toEqual({ data: { node: null } });
    }
  }
});

describe("forged and garbage IDs", () => {
  const aliceLink = () => decode(ids.Link)[1]!;
  const cases: Array<[string, () => string]> = [
    ["an Account ID with an extra part", () => encode([...decode(ids.Account), "extra"])],
    ["an Account ID without its local part", () => encode(["Account", aliceLink()])],
    ["a bare kind", () => encode(["Account"])],
    ["a Link ID with an extra part", () => encode(["Link", aliceLink(), "x"])],
    ["an Institution ID", () => encode(["Institution", "chase"])],
    ["an unknown kind", () => encode(["User", aliceLink()])],
    ["a path as link", () => encode(["Account", "../../etc/passwd", "x"])],
    ["SQL as link", () => encode(["Account", "' OR 1=1 --", "x"])],
    ["SQL as consent", () => encode(["Consent", aliceLink(), "' OR ''='"])],
    ["non-string parts", () => encode(["Account", 1, { $ne: null }])],
    ["nested arrays", () => encode([["Account"], [aliceLink()]])],
    ["an object", () => encode({ kind: "Account", parts: [aliceLink()] })],
    ["a JSON string", () => encode("Account")],
    ["null", () => encode(null)],
    ["invalid JSON", () => Buffer.from('["Account",').toString("base64url")],
    ["__proto__", () => Buffer.from('{"__proto__":{"polluted":true}}').toString("base64url")],
    ["empty", () => ""],
    ["punctuation", () => "!!!"],
    ["standard base64 with padding", () => Buffer.from(JSON.stringify(["Link", aliceLink()])).toString("base64")],
    ["unicode", () => "🙂🙂🙂"],
    ["10,000 characters", () => "A".repeat(10_000)],
    ["a long valid-looking ID", () => encode(["Account", aliceLink(), "x".repeat(600)])],
    ["a 400-part array", () => encode(["Account", ...Array.from({ length: 400 }, () => aliceLink())])],
  ];

  it.each(cases)("%s → node null, account null, no error, no bank call", async (_name, make) => {
    const id = make();
    for (const { who, token } of tokens()) {
      t.resetBankCalls();
      const node = await t.gql(PROBE, { id }, token);
      expect(node.status, who).toBe(200);
      expect(node.body, who).toEqual({ data: { node: null } });
      const account = await t.gql(ACCOUNT_PROBE, { id }, token);
      expect(account.body, who).toEqual({ data: { account: null } });
      for (const bank of BANKS) expect(totalCallsAt(t, bank), `${who} at ${bank}`).toBe(0);
    }
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});

describe("mutations on alice's objects", () => {
  function sameAsMissing(foreign: GraphQLResponse, missing: GraphQLResponse, code = "NOT_FOUND") {
    expect(foreign.body).toEqual(missing.body);
    expect(foreign.body.data).toBeNull();
    expect(onlyError(foreign).extensions?.["code"]).toBe(code);
  }

  it("authorize, reject and revoke of alice's consents answer NOT_FOUND exactly like a missing consent, and change nothing", async () => {
    const before = await aliceView();
    for (const action of ["authorizeConsent", "rejectConsent"] as const) {
      sameAsMissing(await decide(t, action, ids.AwaitingConsent, bob.user), await decide(t, action, withUnknownLink(ids.AwaitingConsent), bob.user));
    }
    for (const { token } of tokens()) {
      sameAsMissing(await decide(t, "revokeConsent", ids.Consent, token), await decide(t, "revokeConsent", withUnknownLink(ids.Consent), token));
      // Bob's own link around alice's consent ID is no way in either.
      const wrapped = encode(["Consent", decode(bob.links["chase"]!)[1], decode(ids.Consent)[2]]);
      sameAsMissing(await decide(t, "revokeConsent", wrapped, token), await decide(t, "revokeConsent", withUnknownLink(ids.Consent), token));
    }
    expect(await aliceView()).toEqual(before);
  });

  it("unlinkInstitution of alice's link answers NOT_FOUND like a missing link, and alice's link keeps working", async () => {
    const before = await aliceView();
    const unlink = (id: string) => t.gql(`mutation($id: ID!) { unlinkInstitution(linkId: $id) { id status } }`, { id }, bob.user);
    sameAsMissing(await unlink(ids.Link), await unlink(withUnknownLink(ids.Link)));
    expect(await aliceView()).toEqual(before);
    expect(before.read.accounts.length).toBeGreaterThan(0);
  });

  it("requestConsent on alice's link answers NOT_FOUND like a missing link, and nothing is stored", async () => {
    const before = await aliceView();
    const ask = (linkId: string) =>
      t.gql(
        `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { ${CONSENT_FIELDS} } }`,
        { input: { linkId, scopes: ["accounts:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30 } },
        bob.app,
      );
    sameAsMissing(await ask(ids.Link), await ask(withUnknownLink(ids.Link)));
    expect(await consentsOf(t, bob.user)).toHaveLength(BANKS.length);
    expect(await aliceView()).toEqual(before);
  });
});
