/**
 * Every query and mutation in examples/*.graphql validates against schema.graphql and runs against
 * the gateway (real HTTP, six mock banks, real store) with realistic variables — so the examples a
 * developer copies never rot. One fixture per operation name; a fixture that forgets to run its
 * operation, or an example without a fixture, fails the suite. (Subscriptions:
 * subscription-examples.test.ts.)
 */
import { buildSchema, OperationTypeNode, parse, validate, type GraphQLSchema } from "graphql";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ManualClock } from "../../src/clock.js";
import { loadExampleOperations, type ExampleOperation } from "../../src/playground/example-operations.js";
import { APP, startTestGateway, type GraphQLResponse, type TestGateway, type TestUser } from "../support/gateway.js";

const SCHEMA_FILE = new URL("../../schema.graphql", import.meta.url);
const DECIMAL = /^-?\d+\.\d{2}$/;
const ALL_SCOPES = ["accounts:read", "balances:read", "transactions:read", "receipts:read", "identity:read"];

let schema: GraphQLSchema;
let operations: ExampleOperation[];
let t: TestGateway;
/** The platform's usual user: Chase and PayPal fully consented, Citi without transactions or receipts. */
let main: TestUser;

/**
 * Runs this fixture's example operation as `user`, with the token its `# Token:` line names
 * (the app's unless it says user) — or the other one, to show a refusal. The fixture asserts.
 */
type Run = (variables: Record<string, unknown>, user: TestUser, token?: "app" | "user") => Promise<GraphQLResponse>;
type Fixture = (run: Run) => Promise<void>;

beforeAll(async () => {
  schema = buildSchema(await readFile(SCHEMA_FILE, "utf8"));
  // Subscriptions run over WebSocket: subscription-examples.test.ts.
  operations = (await loadExampleOperations()).filter((o) => o.type !== OperationTypeNode.SUBSCRIPTION);
  t = await startTestGateway();
  main = await t.newUser("examples", ["chase", "citi", "paypal"]);
  await t.grant(main, "chase", ALL_SCOPES);
  await t.grant(main, "citi", ["accounts:read", "balances:read"]);
  await t.grant(main, "paypal", ALL_SCOPES);
});
afterAll(() => t?.close());

function codes(response: GraphQLResponse): string[] {
  return (response.body.errors ?? []).map((e) => e.extensions?.["code"]);
}

function expectNoErrors(response: GraphQLResponse): void {
  expect(response.body.errors).toBeUndefined();
  expect(response.status).toBe(200);
}

async function must<T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const response = await t.gql<T>(query, variables, token);
  expectNoErrors(response);
  return response.body.data!;
}

async function accountsOf(user: TestUser): Promise<Array<{ id: string; type: string; institution: { id: string } }>> {
  return (await must(`{ accounts { id type institution { id } } }`, {}, user.app)).accounts;
}

/** The app's `accounts` list after a consent stopped granting: one null item with the denial. */
async function expectAccountsWithheld(user: TestUser, institutionId: string, reason: string, consentId: string): Promise<void> {
  const response = await t.gql(`{ accounts { id } }`, {}, user.app);
  expect(response.body.data).toEqual({ accounts: [null] });
  expect(response.body.errors!.map((e) => ({ path: e.path, ...e.extensions }))).toEqual([
    { path: ["accounts", 0], code: "UNAUTHORIZED_FIELD_OR_TYPE", requiredScopes: [["accounts:read"]], institutionId, reason, consentId },
  ]);
}

async function requestConsent(user: TestUser, institution: string, scopes: string[]): Promise<string> {
  const data = await must(
    `mutation($input: RequestConsentInput!) { requestConsent(input: $input) { id } }`,
    { input: { linkId: user.links[institution], scopes, purpose: "ACCOUNT_OVERVIEW", durationDays: 30 } },
    user.app,
  );
  return data.requestConsent.id;
}

const FIXTURES: Record<string, Fixture> = {
  async Dashboard(run) {
    const response = await run({}, main);
    expect(response.status).toBe(200);
    const accounts: any[] = response.body.data!.accounts;
    expect(new Set(accounts.map((a) => a.institution.id))).toEqual(new Set(["chase", "citi", "paypal"]));
    for (const account of accounts) {
      expect(account.balance.current.amount).toMatch(DECIMAL);
      expect(account.balance.current.currency).toBe("USD");
      if (account.institution.id === "citi") {
        expect(account.transactions).toBeNull();
      } else {
        expect(account.transactions.nodes.length).toBeGreaterThan(0);
        expect(account.transactions.nodes.length).toBeLessThanOrEqual(10);
      }
    }
    // The demonstrated consent error: Citi's consent lacks transactions:read — one error per Citi account.
    const citi = accounts.flatMap((a, index) => (a.institution.id === "citi" ? [index] : []));
    expect(citi.length).toBeGreaterThan(0);
    expect(response.body.errors!.map((e) => ({ path: e.path, ...e.extensions }))).toEqual(
      citi.map((index) => ({
        path: ["accounts", index, "transactions"],
        code: "UNAUTHORIZED_FIELD_OR_TYPE",
        requiredScopes: [["transactions:read"]],
        institutionId: "citi",
        reason: "NOT_GRANTED",
        consentId: main.consents["citi"],
      })),
    );
  },

  async InstitutionStatus(run) {
    const response = await run({}, main);
    expectNoErrors(response);
    expect(response.body.data!.institutions).toEqual([
      { id: "chase", name: "JPMorgan Chase", status: "UP" },
      { id: "wells_fargo", name: "Wells Fargo", status: "UP" },
      { id: "citi", name: "Citi", status: "UP" },
      { id: "us_bank", name: "U.S. Bancorp", status: "UP" },
      { id: "paypal", name: "PayPal", status: "UP" },
      { id: "amex", name: "American Express", status: "UP" },
    ]);
  },

  async AccountTransactions(run) {
    const account = (await accountsOf(main)).find((a) => a.institution.id === "chase" && a.type === "CHECKING")!;
    const range = { accountId: account.id, first: 5, from: "2026-04-01", to: "2026-06-14" };
    const first = await run(range, main);
    expectNoErrors(first);
    const page1 = first.body.data!.account.transactions;
    expect(page1.edges).toHaveLength(5);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await run({ ...range, after: page1.pageInfo.endCursor }, main);
    expectNoErrors(second);
    const page2 = second.body.data!.account.transactions;
    expect(page2.edges).toHaveLength(5);
    const ids = [...page1.edges, ...page2.edges].map((e: any) => e.node.id);
    expect(new Set(ids).size).toBe(10);
    for (const edge of [...page1.edges, ...page2.edges]) {
      expect(edge.node.date >= "2026-04-01" && edge.node.date <= "2026-06-14").toBe(true);
      expect(edge.node.amount.amount).toMatch(DECIMAL);
    }
    // Newest first, across the page boundary.
    expect(page1.edges[4].node.date >= page2.edges[0].node.date).toBe(true);
  },

  async ReceiptsAndShipping(run) {
    const response = await run({ first: 5 }, main);
    const accounts: any[] = response.body.data!.accounts;
    const paypal = accounts.filter((a) => a.institution.id === "paypal");
    const receipts = paypal.flatMap((a) => a.receipts);
    expect(receipts.length).toBeGreaterThan(0);
    expect(receipts.some((r) => r.shipment !== null && r.shipment.updates.length > 0)).toBe(true);
    for (const receipt of receipts) expect(receipt.total.amount).toMatch(DECIMAL);
    for (const account of accounts.filter((a) => a.institution.id === "chase")) expect(account.receipts).toEqual([]);
    // Citi's consent has no receipts:read: its receipts are withheld, with the consent error.
    const citi = accounts.flatMap((a, index) => (a.institution.id === "citi" ? [index] : []));
    expect(response.body.errors!.map((e) => [e.path, e.extensions!["code"], e.extensions!["institutionId"]])).toEqual(
      citi.map((index) => [["accounts", index, "receipts"], "UNAUTHORIZED_FIELD_OR_TYPE", "citi"]),
    );
  },

  async TransactionReceipt(run) {
    const paypal = (await accountsOf(main)).filter((a) => a.institution.id === "paypal");
    let purchase: { id: string; receipt: { id: string } } | undefined;
    for (const account of paypal) {
      const data = await must(
        `query($id: ID!) { account(id: $id) { transactions(first: 100) { nodes { id receipt { id } } } } }`,
        { id: account.id },
        main.app,
      );
      purchase ??= data.account.transactions.nodes.find((n: any) => n.receipt !== null);
    }
    expect(purchase).toBeDefined();
    const response = await run({ transactionId: purchase!.id }, main);
    expectNoErrors(response);
    expect(response.body.data!.node.id).toBe(purchase!.id);
    expect(response.body.data!.node.receipt.id).toBe(purchase!.receipt.id);
    expect(response.body.data!.node.receipt.total.amount).toMatch(DECIMAL);
  },

  async RequestConsent(run) {
    const user = await t.newUser("examples-request", ["amex"]);
    const input = {
      linkId: user.links["amex"],
      scopes: ["receipts:read", "accounts:read"],
      purpose: "RECEIPTS_AND_SHIPPING",
      durationDays: 30,
      historyDays: 90,
    };
    const response = await run({ input }, user);
    expectNoErrors(response);
    expect(response.body.data!.requestConsent).toMatchObject({
      status: "AWAITING_AUTHORIZATION",
      scopes: ["accounts:read", "receipts:read"],
      purpose: "RECEIPTS_AND_SHIPPING",
      durationDays: 30,
      historyDays: 90,
    });
    // The demonstrated refusal: advertising is not a purpose (CFPB 1033), and nothing is recorded.
    const refused = await run({ input: { ...input, purpose: "ADVERTISING" } }, user);
    expect(refused.body.data).toBeNull();
    expect(codes(refused)).toEqual(["PURPOSE_FORBIDDEN"]);
    const consents = await must(`{ consents { id } }`, {}, user.app);
    expect(consents.consents).toEqual([{ id: response.body.data!.requestConsent.id }]);
  },

  async AuthorizeConsent(run) {
    const user = await t.newUser("examples-authorize", ["wells_fargo"]);
    const id = await requestConsent(user, "wells_fargo", ["accounts:read", "balances:read"]);
    // The demonstrated refusal: only the user (a consent:manage token) can authorize.
    const byApp = await run({ id }, user, "app");
    expect(codes(byApp)).toEqual(["FORBIDDEN"]);
    const response = await run({ id }, user);
    expectNoErrors(response);
    expect(response.body.data!.authorizeConsent).toMatchObject({ id, status: "AUTHORIZED", scopes: ["accounts:read", "balances:read"] });
    const { authorizedAt, expiresAt } = response.body.data!.authorizeConsent;
    expect(Date.parse(expiresAt) - Date.parse(authorizedAt)).toBe(30 * 86_400_000);
  },

  async RenewConsent(run) {
    const user = await t.newUser("examples-renew", ["citi"]);
    const id = await t.grant(user, "citi", ["accounts:read"]);
    const byApp = await run({ id }, user, "app");
    expect(codes(byApp)).toEqual(["FORBIDDEN"]);
    const response = await run({ id }, user);
    expectNoErrors(response);
    expect(response.body.data!.renewConsent).toEqual({
      id,
      status: "AUTHORIZED",
      scopes: ["accounts:read"],
      expiresAt: new Date(t.clock.now().getTime() + 90 * 86_400_000).toISOString(),
    });
  },

  async RejectConsent(run) {
    const user = await t.newUser("examples-reject", ["us_bank"]);
    const id = await requestConsent(user, "us_bank", ["accounts:read"]);
    const response = await run({ id }, user);
    expectNoErrors(response);
    expect(response.body.data!.rejectConsent).toEqual({ id, status: "REJECTED" });
    await expectAccountsWithheld(user, "us_bank", "REJECTED", id);
  },

  async RevokeConsent(run) {
    const user = await t.newUser("examples-revoke", ["chase"]);
    const id = await t.grant(user, "chase", ["accounts:read", "balances:read"]);
    expect((await accountsOf(user)).length).toBeGreaterThan(0);
    const response = await run({ id }, user);
    expectNoErrors(response);
    expect(response.body.data!.revokeConsent).toMatchObject({ id, status: "REVOKED" });
    expect(response.body.data!.revokeConsent.revokedAt).toEqual(expect.any(String));
    // Effective on the very next request.
    await expectAccountsWithheld(user, "chase", "REVOKED", id);
  },

  async Consents(run) {
    const response = await run({ status: ["AUTHORIZED"] }, main);
    expectNoErrors(response);
    const consents: any[] = response.body.data!.consents;
    expect(consents.map((c) => [c.link.institution.id, c.clientId, c.status, c.scopes]).sort()).toEqual([
      ["chase", APP, "AUTHORIZED", ALL_SCOPES],
      ["citi", APP, "AUTHORIZED", ["accounts:read", "balances:read"]],
      ["paypal", APP, "AUTHORIZED", ALL_SCOPES],
    ]);
    expect(new Set(consents.map((c) => c.id))).toEqual(new Set(Object.values(main.consents)));
  },

  async Links(run) {
    const response = await run({}, main);
    expectNoErrors(response);
    const links: any[] = response.body.data!.links;
    expect(links.map((l) => [l.institution.id, l.id, l.status, l.consents.map((c: any) => c.id)]).sort()).toEqual(
      ["chase", "citi", "paypal"].map((i) => [i, main.links[i], "ACTIVE", [main.consents[i]]]),
    );
  },

  async UnlinkInstitution(run) {
    const user = await t.newUser("examples-unlink", ["citi"]);
    const consentId = await t.grant(user, "citi", ["accounts:read"]);
    const response = await run({ linkId: user.links["citi"] }, user);
    expectNoErrors(response);
    expect(response.body.data!.unlinkInstitution).toEqual({ id: user.links["citi"], status: "REVOKED" });
    const consents = await must(`{ consents { id status } }`, {}, user.user);
    expect(consents.consents).toEqual([{ id: consentId, status: "REVOKED" }]);
  },

  async AccessLog(run) {
    const user = await t.newUser("examples-log", ["us_bank"]);
    await t.grant(user, "us_bank", ["accounts:read", "balances:read"]);
    await must(`query BalanceCheck { accounts { balance { current { amount } } } }`, {}, user.app);
    const response = await run({ first: 10 }, user);
    expectNoErrors(response);
    const entries: any[] = response.body.data!.accessLog.nodes;
    expect(entries.map((e) => [e.scope, e.institutionId, e.clientId, e.operationName, e.linkId, e.consentId, e.purpose]).sort()).toEqual([
      ["accounts:read", "us_bank", APP, "BalanceCheck", user.links["us_bank"], user.consents["us_bank"], "ACCOUNT_OVERVIEW"],
      ["balances:read", "us_bank", APP, "BalanceCheck", user.links["us_bank"], user.consents["us_bank"], "ACCOUNT_OVERVIEW"],
    ]);
    expect(response.body.data!.accessLog.pageInfo.hasNextPage).toBe(false);
    // The app itself cannot read the user's access log.
    expect(codes(await run({ first: 10 }, user, "app"))).toEqual(["FORBIDDEN"]);
  },

  async ConsentEvents(run) {
    const user = await t.newUser("examples-events", ["paypal"]);
    const clock = t.clock as ManualClock;
    const id = await requestConsent(user, "paypal", ["accounts:read"]);
    clock.advance(60_000);
    await must(`mutation($id: ID!) { authorizeConsent(id: $id) { id } }`, { id }, user.user);
    clock.advance(60_000);
    await must(`mutation($id: ID!) { revokeConsent(id: $id) { id } }`, { id }, user.user);
    const response = await run({ consentId: id, first: 10 }, user);
    expectNoErrors(response);
    const events: any[] = response.body.data!.consentEvents.nodes;
    // In the order they happened (the store pages forward by event ID).
    expect(events.map((e) => [e.consentId, e.type, e.actor])).toEqual([
      [id, "REQUESTED", "CLIENT"],
      [id, "AUTHORIZED", "USER"],
      [id, "REVOKED", "USER"],
    ]);
    expect(response.body.data!.consentEvents.pageInfo.hasNextPage).toBe(false);
  },

  async NodeLookup(run) {
    const account = (await accountsOf(main)).find((a) => a.institution.id === "chase")!;
    const found = await run({ id: account.id }, main);
    expectNoErrors(found);
    expect(found.body.data!.node).toMatchObject({ __typename: "Account", id: account.id, institution: { id: "chase" } });
    const consent = await run({ id: main.consents["paypal"] }, main);
    expectNoErrors(consent);
    expect(consent.body.data!.node).toEqual({
      __typename: "Consent",
      id: main.consents["paypal"],
      consentStatus: "AUTHORIZED",
      scopes: ALL_SCOPES,
      expiresAt: expect.any(String),
    });
    // Another user's account answers exactly like a missing one.
    const stranger = await t.newUser("examples-stranger", ["chase"]);
    await t.grant(stranger, "chase", ["accounts:read"]);
    const foreign = await run({ id: account.id }, stranger);
    expectNoErrors(foreign);
    expect(foreign.body.data!.node).toBeNull();
  },
};

describe("examples/*.graphql queries and mutations", () => {
  it("are all named operations with a fixture each", async () => {
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.map((o) => o.name).sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it("validate against schema.graphql", () => {
    for (const operation of operations) {
      expect(validate(schema, parse(operation.source)).map((e) => `${operation.name}: ${e.message}`)).toEqual([]);
    }
  });

  it.each(Object.keys(FIXTURES))("%s runs against the gateway", async (name) => {
    const operation = operations.find((o) => o.name === name);
    expect(operation, `no example operation named ${name}`).toBeDefined();
    let runs = 0;
    const run: Run = (variables, user, token = operation!.token) => {
      runs += 1;
      return t.gql(operation!.source, variables, user[token], { "x-request-id": `example-${name}-${runs}` });
    };
    await FIXTURES[name]!(run);
    expect(runs).toBeGreaterThan(0);
  });
});
