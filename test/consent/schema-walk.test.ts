/**
 * The schema walk: every field of the emitted contract (`schema.graphql`) that a client can reach
 * from Query is selected along real routes, and the mock banks say which fields read them: a field
 * whose selection adds bank calls, or that returns a type such a field returns (a bank-data type),
 * reads bank data. No hand list decides that. For each bank-reading field:
 *   - the contract guards it (`@requiresScopes` on the field or on the type it returns);
 *   - a caller whose consent grants everything except what the directive asks gets null and exactly
 *     one UNAUTHORIZED_FIELD_OR_TYPE error at each of the field's paths, and the bank is not asked;
 *   - delivered under a full consent, it leaves an access record for its (link, scope).
 * So an unguarded new bank-reading field, or a directive removed, fails here, naming the field.
 *
 * Beside it: history windows on every route to a transaction or a receipt (queries, `node`, nested
 * fields, a subscription), and access records for minimal reads and none for failed bank reads.
 */
import { randomUUID } from "node:crypto";
import { getNamedType, type GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MOCK_BANKS } from "../../mocks/registry.js";
import { DAY_MS, ManualClock } from "../../src/clock.js";
import { ConsentPurpose } from "../../src/domain/consent.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { startTestGateway, type GraphQLResponse, type TestGateway, type TestUser } from "../support/gateway.js";
import { bankEvent, collect, subscribersReady, targetWebhooks, wsClient } from "../realtime/realtime-support.js";
import { SCOUT, SETUP_TIMEOUT_MS, dataOf, grantFor, registerScout } from "./consent-harness.js";
import {
  coordinateOf,
  entryOf,
  lastStep,
  loadContract,
  needsIds,
  renderRoute,
  renderSiblings,
  requirementOn,
  responseKeys,
  returnsList,
  scopesAbove,
  scopesInContract,
  walkRoutes,
  type Requirement,
  type Route,
  type SampleIds,
} from "./schema-walk/contract-routes.js";
import { delivered, instancesAt, withoutIndices } from "./schema-walk/response-paths.js";

/**
 * The gateway's clock stands at the real time (bank webhooks are signed with it and refused five
 * minutes off), so the mock banks' data is anchored to today instead of TEST_ANCHOR: history
 * windows then line up with their data.
 */
const START = new Date();
const TODAY = new Date(`${START.toISOString().slice(0, 10)}T00:00:00Z`);
/** Banks in registry order; the walk itself runs against the first whose mock issues receipts (every bank-data type is then reachable). */
const BANKS = PROVIDER_MODULES.map((m) => m.id);
const WALK_BANK = BANKS.find((id) => MOCK_BANKS.find((b) => b.id === id)?.receipts);
/** Routes per field: the shortest from each of this many different entry points. */
const ROUTES_PER_FIELD = 3;

const contract = loadContract();
const ALL_SCOPES = scopesInContract(contract);
const queryRoutes = walkRoutes(contract, contract.getQueryType()!);
/** Coordinate → up to {@link ROUTES_PER_FIELD} routes, shortest first, from different entry points. */
const routesByField = new Map<string, Route[]>();
for (const route of [...queryRoutes].sort((a, b) => a.steps.length - b.steps.length)) {
  const coordinate = coordinateOf(lastStep(route));
  const chosen = routesByField.get(coordinate) ?? [];
  if (chosen.length < ROUTES_PER_FIELD && !chosen.some((r) => entryOf(r) === entryOf(route))) chosen.push(route);
  routesByField.set(coordinate, chosen);
}
const FIELDS = [...routesByField.keys()].sort();

let t: TestGateway;
let walker: TestUser;
const ids: SampleIds = {};
/** Per route (rendered with the field): how many bank calls selecting the field adds, under a full consent. */
const addedCalls = new Map<Route, number>();
/** Named types returned by fields whose selection calls a bank. */
const bankDataTypes = new Set<string>();

const callsAt = (bank: string): number => t.bankCalls()[bank]?.total ?? 0;

async function callsFor(query: string, token: string, bank: string): Promise<{ response: GraphQLResponse; calls: number }> {
  t.resetBankCalls();
  const response = await t.gql(query, {}, token);
  return { response, calls: callsAt(bank) };
}

/** Sample IDs of every type with an `id`, read with the full consent along routes that need none. */
async function findSampleIds(token: string): Promise<void> {
  const idRoutes = queryRoutes.filter((r) => lastStep(r).field.name === "id" && !needsIds(r)).sort((a, b) => a.steps.length - b.steps.length);
  for (const route of idRoutes) {
    const type = lastStep(route).parent.name;
    if (ids[type]) continue;
    const response = await t.gql(renderRoute(route, ids, { withField: true }), {}, token);
    const found = instancesAt(response.body.data, responseKeys(route)).find((i) => typeof i.value === "string");
    if (found) ids[type] = found.value as string;
  }
}

/**
 * Discovery: for every route, the bank calls its field adds over its parent alone. Sibling fields
 * are first selected all together; only when that adds calls is each asked on its own.
 */
async function discoverBankReads(token: string, bank: string): Promise<void> {
  const siblings = new Map<string, Route[]>();
  for (const route of [...routesByField.values()].flat()) {
    const parentQuery = renderRoute(route, ids, { withField: false });
    siblings.set(parentQuery, [...(siblings.get(parentQuery) ?? []), route]);
  }
  for (const [parentQuery, routes] of siblings) {
    const parent = (await callsFor(parentQuery, token, bank)).calls;
    const together = await callsFor(renderSiblings(routes, ids), token, bank);
    // An error (e.g. FORBIDDEN for accessLog with an app token) may stop the whole request: then ask each field alone.
    const noneAdds = together.calls === parent && !together.response.body.errors;
    for (const route of routes) {
      const added = noneAdds ? 0 : (await callsFor(renderRoute(route, ids, { withField: true }), token, bank)).calls - parent;
      addedCalls.set(route, added);
    }
  }
  // Each positive confirmed once more after the whole pass, so a bank call the gateway makes in the
  // background (after linking or granting) cannot make a field look like a reader.
  for (const [route, added] of addedCalls) {
    if (added <= 0) continue;
    const parent = (await callsFor(renderRoute(route, ids, { withField: false }), token, bank)).calls;
    const again = (await callsFor(renderRoute(route, ids, { withField: true }), token, bank)).calls - parent;
    addedCalls.set(route, Math.min(added, again));
    const returned = lastStep(route).yields?.name;
    if (again > 0 && returned) bankDataTypes.add(returned);
  }
}

/**
 * Whether the field reads bank data: on some route it calls a bank, or it returns a bank-data type.
 * A payload of the event log delivers its whole object at once: it reads bank data when any field of it does.
 */
function readsBank(coordinate: string): boolean {
  const routes = routesByField.get(coordinate)!;
  const returned = lastStep(routes[0]!).yields;
  if (routes.some((r) => (addedCalls.get(r) ?? 0) > 0) || (returned !== undefined && bankDataTypes.has(returned.name))) return true;
  return (
    throughLog(routes[0]!) &&
    returned !== undefined &&
    Object.keys(returned.getFields()).some((f) => FIELDS.includes(`${returned.name}.${f}`) && readsBank(`${returned.name}.${f}`))
  );
}

/**
 * What the contract requires for the field: its own directive, else the directive of the type it
 * returns, else its parent type's (a type's directive guards every field of the type).
 */
function requirementOf(coordinate: string): Requirement | undefined {
  const step = lastStep(routesByField.get(coordinate)![0]!);
  return requirementOn(step.field) ?? (step.yields ? requirementOn(step.yields) : undefined) ?? requirementOn(step.parent);
}

/**
 * The event log's node type (`Query.events { nodes }`): the log withholds a payload by leaving its
 * whole event out ("events it may not see are skipped"), as the subscriptions do, not by a null and
 * an error. A payload field of it is proven that way.
 */
const LOG_EVENT = getNamedType((getNamedType(contract.getQueryType()!.getFields()["events"]!.type) as GraphQLObjectType).getFields()["nodes"]!.type);
const throughLog = (route: Route): boolean => lastStep(route).parent === LOG_EVENT;

/** One bank event of every kind at the walked bank, so the log's payload fields have instances to check. */
async function fireBankEvents(bank: string): Promise<void> {
  await targetWebhooks(t.mocks.adminUrl, t.gateway);
  for (const kind of ["balance_changed", "transaction_pending", "transaction_posted", "shipment_updated", "fraud_alert"] as const) {
    const { delivery } = await bankEvent(t.mocks.adminUrl, bank, { kind });
    expect(delivery.status >= 200 && delivery.status < 300, `${bank} ${kind} webhook: ${JSON.stringify(delivery)}`).toBe(true);
  }
}

/** A client (registered on first use) whose consent on the walker's link grants every scope except `withheld`. */
const deniedTokens = new Map<string, string>();
async function tokenWithout(withheld: string[]): Promise<string> {
  const key = [...withheld].sort().join("+");
  const cached = deniedTokens.get(key);
  if (cached) return cached;
  const client = `walk-without-${key.replaceAll(":", "-")}`;
  await t.gateway.services.clients.register({ id: client, name: `Walk without ${key}`, allowedPurposes: Object.values(ConsentPurpose) });
  await grantFor(
    t,
    walker,
    WALK_BANK!,
    ALL_SCOPES.filter((s) => !withheld.includes(s)),
    client,
  );
  const token = await t.token(walker.userId, { client });
  deniedTokens.set(key, token);
  return token;
}

const ACCESS_LOG = `query Log { accessLog(first: 100) { nodes { requestId linkId institutionId scope } } }`;

/** The access records of one request, as the user reads them. */
async function recordsOf(user: TestUser, requestId: string): Promise<Array<{ linkId: string; institutionId: string; scope: string }>> {
  const nodes = dataOf(await t.gql(ACCESS_LOG, {}, user.user), "accessLog").accessLog.nodes as Array<{
    requestId: string;
    linkId: string;
    institutionId: string;
    scope: string;
  }>;
  return nodes.filter((n) => n.requestId === requestId).map(({ linkId, institutionId, scope }) => ({ linkId, institutionId, scope }));
}

beforeAll(async () => {
  expect(WALK_BANK, "the registry has no bank whose mock issues receipts").toBeDefined();
  t = await startTestGateway({ clock: new ManualClock(START), mocks: { anchor: TODAY }, env: { UPSTREAM_CACHE_TTL_MS: "0", BANK_RETRIES: "0" } });
  await registerScout(t);
  walker = await t.newUser("walk", [WALK_BANK!]);
  await t.grant(walker, WALK_BANK!, ALL_SCOPES);
  await fireBankEvents(WALK_BANK!);
  await findSampleIds(walker.app);
  await discoverBankReads(walker.app, WALK_BANK!);
}, SETUP_TIMEOUT_MS);
afterAll(() => t?.close());

describe(`schema walk over schema.graphql (bank: ${WALK_BANK})`, () => {
  it("discovery works: it reaches the fields every dashboard uses and finds they read the bank", () => {
    const found = FIELDS.filter(readsBank);
    console.info(`bank-reading fields (${found.length}): ${found.join(", ")}`);
    console.info(`bank-data types: ${[...bankDataTypes].sort().join(", ")}`);
    // A floor, not the source: if these vanish, counting bank calls broke (e.g. a cache answered).
    expect(found).toEqual(expect.arrayContaining(["Query.accounts", "Account.transactions", "Account.balance"]));
  });

  it.each(FIELDS)("%s: if it reads a bank, it is guarded, withheld without its scope (no bank call) and recorded when delivered", async (coordinate) => {
    if (!readsBank(coordinate)) return; // reads no bank data: nothing to guard
    const routes = routesByField.get(coordinate)!;

    // 1. The contract guards it.
    const requirement = requirementOf(coordinate);
    expect(
      requirement,
      `${coordinate} reads bank data but carries no @requiresScopes (on the field or on the type it returns) in schema.graphql`,
    ).toBeDefined();
    const withheld = [...new Set(requirement!.flat())];

    // 2. Without the scope(s): null + one error at each of its paths, and no bank call for it.
    const token = await tokenWithout(withheld);
    let checkedRoutes = 0;
    for (const route of routes) {
      if (withheld.some((s) => scopesAbove(route).has(s))) continue; // withheld higher up: a field above is checked instead
      checkedRoutes++;
      const parentQuery = renderRoute(route, ids, { withField: false });
      const query = renderRoute(route, ids, { withField: true });
      const where = `${coordinate} via ${query}`;
      const parent = await callsFor(parentQuery, token, WALK_BANK!);
      const withField = await callsFor(query, token, WALK_BANK!);
      expect(parent.response.body.errors, `${where}: the route itself fails without ${withheld.join(", ")}`).toBeUndefined();
      expect(withField.calls - parent.calls, `${where}: the bank was called for a field the consent withholds`).toBe(0);

      const keys = responseKeys(route);
      if (throughLog(route)) {
        // Withheld by the log: no event carries the field, nothing is reported; under a full consent it is there (the check could fail).
        expect(withField.response.body.errors, `${where}: the log reports a withheld event instead of leaving it out`).toBeUndefined();
        expect(delivered(withField.response.body.data, keys), `${where}: delivered without ${withheld.join(", ")}`).toBe(false);
        const full = await t.gql(query, {}, walker.app);
        expect(delivered(full.body.data, keys), `${where}: no event carries it even under a full consent: nothing to check`).toBe(true);
        continue;
      }
      const instances = instancesAt(withField.response.body.data, keys);
      expect(instances.length, `${where}: no instance of the field in the response to check`).toBeGreaterThan(0);
      const errors = withField.response.body.errors ?? [];
      for (const error of errors) {
        expect(error.extensions?.["code"], `${where}: unexpected error ${JSON.stringify(error)}`).toBe("UNAUTHORIZED_FIELD_OR_TYPE");
        expect(withoutIndices(error.path ?? []), `${where}: error away from the field ${JSON.stringify(error)}`).toEqual(keys);
        expect(error.extensions?.["requiredScopes"], `${where}: requiredScopes`).toEqual(requirement);
      }
      for (const instance of instances) {
        const at = JSON.stringify(instance.path);
        const here = errors.filter((e) => JSON.stringify(e.path) === at);
        // Query.accounts documents leaving out links whose consent does not grant accounts:read: an empty
        // list of a guarded item type, with no error, withholds as much as a null does.
        const leftOut = returnsList(lastStep(route)) && !requirementOn(lastStep(route).field) && Array.isArray(instance.value) && instance.value.length === 0;
        if (leftOut) {
          expect(here, `${where}: ${at} left out and also reported`).toEqual([]);
          continue;
        }
        expect(instance.value, `${where}: ${at} delivered without ${withheld.join(", ")}`).toBeNull();
        expect(here, `${where}: exactly one error at ${at}`).toHaveLength(1);
      }
    }
    // Every route passes a guard on the withheld scope(s) above the field, or was checked here.
    expect(checkedRoutes + routes.filter((r) => withheld.some((s) => scopesAbove(r).has(s))).length).toBe(routes.length);

    // 3. Delivered under a full consent: one access record for (link, scope) — for some alternative of the requirement.
    const route = routes.find((r) => !needsIds(r)) ?? routes[0]!;
    const requestId = `walk-${randomUUID()}`;
    const response = await t.gql(renderRoute(route, ids, { withField: true }), {}, walker.app, { "x-request-id": requestId });
    if (!delivered(response.body.data, responseKeys(route))) return; // nothing of it left: nothing to record
    const scopes = new Set((await recordsOf(walker, requestId)).filter((r) => r.linkId === walker.links[WALK_BANK!]).map((r) => r.scope));
    expect(
      requirement!.some((all) => all.every((s) => scopes.has(s))),
      `${coordinate} delivered via ${renderRoute(route, ids, { withField: true })} but the access log has only ${JSON.stringify([...scopes])} for the link`,
    ).toBe(true);
  });
});

describe("history windows: no route yields a transaction or a receipt older than the consent's historyDays", () => {
  const HISTORY_DAYS = 30;
  const earliest = new Date(START.getTime() - HISTORY_DAYS * DAY_MS).toISOString().slice(0, 10);
  const day = (iso: string) => iso.slice(0, 10);
  let user: TestUser;
  let old: { transactionIds: string[]; receipts: Array<{ id: string; issuedAt: string; shipment: unknown }> };
  let recentReceipt: { id: string; issuedAt: string } | undefined;

  const FULL_HISTORY = `{ accounts { transactions(first: 100, from: "2000-01-01") { nodes { id date } } receipts(first: 100) { id issuedAt shipment { status } } } }`;

  beforeAll(async () => {
    user = await t.newUser("history", [WALK_BANK!]);
    // A second app with all history finds the old objects' IDs; they are the user's own, so the tested app may ask for them.
    await grantFor(t, user, WALK_BANK!, ALL_SCOPES, SCOUT);
    await t.grant(user, WALK_BANK!, ALL_SCOPES, { historyDays: HISTORY_DAYS });
    const scout = await t.token(user.userId, { client: SCOUT });
    const accounts = dataOf(await t.gql(FULL_HISTORY, {}, scout), "full history").accounts as Array<{
      transactions: { nodes: Array<{ id: string; date: string }> };
      receipts: Array<{ id: string; issuedAt: string; shipment: unknown }>;
    }>;
    const transactions = accounts.flatMap((a) => a.transactions.nodes);
    const receipts = accounts.flatMap((a) => a.receipts);
    old = {
      transactionIds: transactions
        .filter((x) => x.date < earliest)
        .map((x) => x.id)
        .slice(0, 5),
      receipts: receipts.filter((r) => day(r.issuedAt) < earliest),
    };
    recentReceipt = receipts.filter((r) => r.shipment && day(r.issuedAt) >= earliest).sort((a, b) => b.issuedAt.localeCompare(a.issuedAt))[0];
    // Without old objects the assertions below could not fail.
    expect(old.transactionIds.length).toBeGreaterThan(0);
    expect(old.receipts.length).toBeGreaterThan(0);
  }, SETUP_TIMEOUT_MS);

  it("lists: Account.transactions (any from), Account.receipts, Transaction.receipt, Receipt.transactionId", async () => {
    const response = await t.gql(
      `{ accounts { transactions(first: 100, from: "2000-01-01") { nodes { id date receipt { issuedAt } } } receipts(first: 100) { id issuedAt transactionId } } }`,
      {},
      user.app,
    );
    const accounts = dataOf(response, "windowed lists").accounts as any[];
    const transactions = accounts.flatMap((a) => a.transactions.nodes);
    expect(transactions.length, "nothing inside the window: the test could not tell").toBeGreaterThan(0);
    // Soft: each route reports on its own.
    expect
      .soft(
        transactions.filter((x: any) => x.date < earliest),
        "Account.transactions older than the window",
      )
      .toEqual([]);
    expect
      .soft(
        transactions.filter((x: any) => x.receipt && day(x.receipt.issuedAt) < earliest),
        "Transaction.receipt older than the window",
      )
      .toEqual([]);
    const receipts = accounts.flatMap((a) => a.receipts);
    expect
      .soft(
        receipts.filter((r: any) => day(r.issuedAt) < earliest),
        "Account.receipts older than the window",
      )
      .toEqual([]);
  });

  it("node(id:) of an old transaction and of an old receipt answers null, and so does its nested receipt", async () => {
    for (const id of old.transactionIds) {
      const response = await t.gql(`query($id: ID!) { node(id: $id) { id ... on Transaction { date receipt { id } } } }`, { id }, user.app);
      expect.soft(response.body.data?.node ?? null, `node(old transaction ${id})`).toBeNull();
    }
    for (const receipt of old.receipts.slice(0, 5)) {
      const response = await t.gql(`query($id: ID!) { node(id: $id) { id ... on Receipt { issuedAt transactionId } } }`, { id: receipt.id }, user.app);
      expect.soft(response.body.data?.node ?? null, `node(old receipt issued ${receipt.issuedAt})`).toBeNull();
    }
  });

  it("receiptUpdated: a bank event about an old receipt is not delivered (a recent one after it is)", async () => {
    const oldWithShipment = old.receipts.find((r) => r.shipment);
    expect(oldWithShipment, "no old receipt with a shipment to move").toBeDefined();
    expect(recentReceipt, "no recent receipt with a shipment to use as the sentinel").toBeDefined();
    await targetWebhooks(t.mocks.adminUrl, t.gateway);
    const client = wsClient(t.gateway, user.app);
    try {
      const updates = collect(client, `subscription { receiptUpdated { id issuedAt transactionId } }`);
      await subscribersReady(t.gateway, user.userId);
      // The mock bank knows receipts by its own ID: the last part of the opaque global ID.
      const bankReceiptId = (globalId: string) => (JSON.parse(Buffer.from(globalId, "base64url").toString()) as string[]).at(-1)!;
      await bankEvent(t.mocks.adminUrl, WALK_BANK!, { kind: "shipment_updated", receiptId: bankReceiptId(oldWithShipment!.id), status: "exception" });
      await bankEvent(t.mocks.adminUrl, WALK_BANK!, { kind: "shipment_updated", receiptId: bankReceiptId(recentReceipt!.id), status: "exception" });
      // One subscription handles its events in order: once the sentinel is here, the old event was dealt with.
      const first = await updates.nth(1);
      expect(first.data?.receiptUpdated?.id, `delivered a receipt issued ${oldWithShipment!.issuedAt}, outside ${HISTORY_DAYS} days`).toBe(recentReceipt!.id);
      expect(updates.results.map((r) => r.data?.receiptUpdated?.issuedAt).filter((at) => at && day(at) < earliest)).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});

describe("access records: every delivered bank read has one, a failed bank read has none", () => {
  it("{ accounts { __typename } } records (link, accounts:read)", async () => {
    const requestId = `walk-${randomUUID()}`;
    const response = await t.gql(`{ accounts { __typename } }`, {}, walker.app, { "x-request-id": requestId });
    expect(dataOf(response, "accounts").accounts.length).toBeGreaterThan(0);
    expect(await recordsOf(walker, requestId)).toContainEqual({ linkId: walker.links[WALK_BANK!], institutionId: WALK_BANK, scope: "accounts:read" });
  });

  it("node(id: $tx) { __typename } records (link, transactions:read)", async () => {
    const requestId = `walk-${randomUUID()}`;
    const response = await t.gql(`query($tx: ID!) { node(id: $tx) { __typename } }`, { tx: ids["Transaction"] }, walker.app, { "x-request-id": requestId });
    expect(dataOf(response, "node").node).toEqual({ __typename: "Transaction" });
    expect(await recordsOf(walker, requestId)).toContainEqual({ linkId: walker.links[WALK_BANK!], institutionId: WALK_BANK, scope: "transactions:read" });
  });

  const READ = `query Read { accounts { id balance { current { amount } } } links { accounts { id } } }`;

  it.each(BANKS)("%s failing under a granted scope: the read is not recorded (and is, once the bank answers)", async (bank) => {
    const user = await t.newUser(`fail-${bank}`, [bank]);
    await t.grant(user, bank, ["accounts:read", "balances:read"]);
    const setFaults = (faults: object) =>
      fetch(`${t.mocks.adminUrl}/banks/${bank}/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(faults) });

    const failedRequest = `walk-${randomUUID()}`;
    await setFaults({ errorRate: 1 });
    let failed: GraphQLResponse;
    try {
      failed = await t.gql(READ, {}, user.app, { "x-request-id": failedRequest });
    } finally {
      await fetch(`${t.mocks.adminUrl}/banks/${bank}/faults`, { method: "DELETE" });
    }
    expect(failed.body.data?.accounts, JSON.stringify(failed.body)).toEqual([null]);
    expect(failed.body.data?.links, JSON.stringify(failed.body)).toEqual([{ accounts: null }]);
    expect(failed.body.errors?.map((e) => e.extensions?.["code"])).toEqual(["INSTITUTION_ERROR", "INSTITUTION_ERROR"]);
    expect(await recordsOf(user, failedRequest), `${bank} failed, yet the read is on the record`).toEqual([]);

    // The same read answered is recorded: the empty log above is not just a log that records nothing.
    const answeredRequest = `walk-${randomUUID()}`;
    dataOf(await t.gql(READ, {}, user.app, { "x-request-id": answeredRequest }), `${bank} answered`);
    expect((await recordsOf(user, answeredRequest)).map((r) => r.scope).sort()).toEqual(["accounts:read", "balances:read"]);
  });
});
