/**
 * The consent matrix: seeded random consent sets × every guarded field, through GraphQL over HTTP
 * against the six mock banks. A second app (the scout) holds every scope on the same links and
 * runs the same operations: its answer is the ground truth. The tested app must get exactly the
 * scout's data where its consent grants the scope, and where it does not: null, exactly one
 * UNAUTHORIZED_FIELD_OR_TYPE error at that path, and no call of that resource kind at the bank.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SeededRandom } from "../../mocks/data/random.js";
import { PATIENT_ENV } from "../support/dashboard.js";
import { APP, startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import {
  ALL_BANKS,
  DATA_SCOPES,
  SCOUT,
  SETUP_TIMEOUT_MS,
  byPath,
  callsOf,
  dataOf,
  denialsOf,
  grantFor,
  registerScout,
  totalCallsAt,
  type DataScope,
  type ExpectedDenial,
} from "./consent-harness.js";

/** Per bank: the scopes granted to the tested app, or null for "no consent at all". */
type ConsentSet = Record<string, DataScope[] | null>;

const SETS = 12;

function randomConsentSet(seed: number): ConsentSet {
  const random = new SeededRandom(`consent-matrix-${seed}`);
  return Object.fromEntries(ALL_BANKS.map((bank) => [bank, random.chance(0.15) ? null : DATA_SCOPES.filter(() => random.chance(0.5))]));
}

const consentSets = Array.from({ length: SETS }, (_, seed) => randomConsentSet(seed));

const MATRIX = `query Matrix {
  links { id institution { id } accounts { id name mask } }
  accounts {
    id type name mask institution { id }
    balance { current { amount currency } limit { amount } }
    transactions(first: 3) { nodes { id status amount { amount } date receipt { id total { amount } } } }
    receipts(first: 2) { id merchantName total { amount } }
    owner { name }
  }
}`;

const SCOUT_IDS = `query ScoutIds {
  accounts { id institution { id } transactions(first: 10) { nodes { id receipt { id } } } }
}`;

/** Field → bank call kind, and the scope that guards it (on top of accounts:read for the Account). */
const ACCOUNT_FIELDS: Array<{ field: string; scope: DataScope }> = [
  { field: "balance", scope: "balances:read" },
  { field: "transactions", scope: "transactions:read" },
  { field: "receipts", scope: "receipts:read" },
  { field: "owner", scope: "identity:read" },
];
const KIND_OF: Record<DataScope, string> = {
  "accounts:read": "accounts",
  "balances:read": "balances",
  "transactions:read": "transactions",
  "receipts:read": "receipts",
  "identity:read": "identity",
};

const denial = (path: ExpectedDenial["path"], scope: DataScope, institutionId: string): ExpectedDenial => ({
  path,
  requiredScopes: [[scope]],
  institutionId,
  reason: "NOT_GRANTED",
});

/** The scout's (full) answer cut down to what `set` grants, and the denials that must stand in its place. */
function project(full: any, set: ConsentSet): { data: any; denials: ExpectedDenial[] } {
  const has = (bank: string, scope: DataScope) => set[bank]?.includes(scope) ?? false;
  const denials: ExpectedDenial[] = [];
  const links = full.links.map((link: any, i: number) => {
    const bank = link.institution.id;
    if (has(bank, "accounts:read")) return link;
    denials.push(denial(["links", i, "accounts"], "accounts:read", bank));
    return { ...link, accounts: null };
  });
  const accounts = full.accounts
    .filter((a: any) => has(a.institution.id, "accounts:read"))
    .map((account: any, j: number) => {
      const bank = account.institution.id;
      const out = { ...account };
      for (const { field, scope } of ACCOUNT_FIELDS) {
        if (!has(bank, scope)) {
          out[field] = null;
          denials.push(denial(["accounts", j, field], scope, bank));
        }
      }
      if (out.transactions && !has(bank, "receipts:read")) {
        out.transactions = {
          nodes: out.transactions.nodes.map((node: any, k: number) => {
            denials.push(denial(["accounts", j, "transactions", "nodes", k, "receipt"], "receipts:read", bank));
            return { ...node, receipt: null };
          }),
        };
      }
      return out;
    });
  return { data: { links, accounts }, denials };
}

let t: TestGateway;
beforeAll(async () => {
  // The scout's first query reads every account's history cold at all six banks: patient, as on a loaded machine.
  t = await startTestGateway({ env: PATIENT_ENV });
  await registerScout(t);
});
afterAll(() => t?.close());

it("the seeded sets grant and withhold every guarded scope at least twice each", () => {
  for (const scope of DATA_SCOPES) {
    const cells = consentSets.flatMap((set) => ALL_BANKS.map((bank) => set[bank]?.includes(scope) ?? false));
    expect(cells.filter(Boolean).length, scope).toBeGreaterThanOrEqual(2);
    expect(cells.filter((granted) => !granted).length, scope).toBeGreaterThanOrEqual(2);
  }
  expect(consentSets.some((set) => ALL_BANKS.some((bank) => set[bank] === null))).toBe(true);
});

describe.each(consentSets.map((set, index) => ({ index, set, label: JSON.stringify(set) })))("consent set $index: $label", ({ index, set }) => {
  let user: TestUser;
  const has = (bank: string, scope: DataScope) => set[bank]?.includes(scope) ?? false;
  let scoutToken: string;
  /** Per bank: an account, a transaction (one with a receipt where the bank has receipts), its receipt. */
  const ids: Record<string, { account: string; transaction: string; receipt: string | null }> = {};

  beforeAll(async () => {
    user = await t.newUser(`matrix${index}`, [...ALL_BANKS]);
    for (const bank of ALL_BANKS) {
      await grantFor(t, user, bank, [...DATA_SCOPES], SCOUT);
      const scopes = set[bank];
      // An empty selection is still a consent: one that grants only alerts:read, which no query field needs.
      if (scopes) await grantFor(t, user, bank, scopes.length > 0 ? scopes : ["alerts:read"], APP);
    }
    scoutToken = await t.token(user.userId, { client: SCOUT });
    const scouted = dataOf(await t.gql(SCOUT_IDS, {}, scoutToken), "scout ids");
    for (const bank of ALL_BANKS) {
      const accounts = scouted.accounts.filter((a: any) => a.institution.id === bank);
      const nodes = accounts.flatMap((a: any) => a.transactions.nodes.map((node: any) => ({ account: a.id, node })));
      const pick = nodes.find((n: any) => n.node.receipt) ?? nodes[0];
      ids[bank] = { account: pick.account, transaction: pick.node.id, receipt: pick.node.receipt?.id ?? null };
    }
  }, SETUP_TIMEOUT_MS);

  it("the Matrix query: data iff granted, one error per withheld field, no bank call of a withheld kind", async () => {
    const full = await t.gql(MATRIX, {}, scoutToken);
    expect(full.body.errors).toBeUndefined();

    t.resetBankCalls();
    const response = await t.gql(MATRIX, {}, user.app);
    expect(response.status).toBe(200);
    const expected = project(full.body.data, set);
    expect(response.body.data).toEqual(expected.data);
    expect(byPath(denialsOf(response))).toEqual(byPath(expected.denials));

    for (const bank of ALL_BANKS) {
      const visible = has(bank, "accounts:read");
      // Granted kinds may be answered from the gateway's cache, so only the withheld side is exact.
      for (const scope of DATA_SCOPES) {
        const kind = KIND_OF[scope];
        if (!visible || !has(bank, scope)) expect(callsOf(t, bank, kind), `${bank}: ${kind} withheld, no ${kind} call`).toBe(0);
      }
      if (!visible) expect(totalCallsAt(t, bank), `${bank}: no accounts:read, no call at all`).toBe(0);
    }
  });

  it.each([...ALL_BANKS])("account(id:) and node(id:) of an Account at %s need accounts:read, checked before the bank is asked", async (bank) => {
    for (const field of ["account", "node"] as const) {
      t.resetBankCalls();
      const response = await t.gql(`query One($id: ID!) { ${field}(id: $id) { id ... on Account { name mask } } }`, { id: ids[bank]!.account }, user.app);
      if (has(bank, "accounts:read")) {
        expect(response.body.errors).toBeUndefined();
        expect(response.body.data[field].id).toBe(ids[bank]!.account);
        expect(response.body.data[field].mask).toMatch(/^\d{4}$/);
      } else {
        expect(response.body.data).toEqual({ [field]: null });
        expect(denialsOf(response)).toEqual([denial([field], "accounts:read", bank)]);
        expect(totalCallsAt(t, bank)).toBe(0);
      }
    }
  });

  it.each([...ALL_BANKS])("node(id:) of a Transaction at %s needs transactions:read; its receipt needs receipts:read", async (bank) => {
    const { transaction, receipt } = ids[bank]!;
    t.resetBankCalls();
    const response = await t.gql(`query Tx($id: ID!) { node(id: $id) { id ... on Transaction { receipt { id } } } }`, { id: transaction }, user.app);
    if (!has(bank, "transactions:read")) {
      expect(response.body.data).toEqual({ node: null });
      expect(denialsOf(response)).toEqual([denial(["node"], "transactions:read", bank)]);
      expect(totalCallsAt(t, bank)).toBe(0);
      return;
    }
    if (has(bank, "receipts:read")) {
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data).toEqual({ node: { id: transaction, receipt: receipt ? { id: receipt } : null } });
    } else {
      expect(response.body.data).toEqual({ node: { id: transaction, receipt: null } });
      expect(denialsOf(response)).toEqual([denial(["node", "receipt"], "receipts:read", bank)]);
      expect(callsOf(t, bank, "receipts")).toBe(0);
    }
  });

  it.each(["paypal", "amex"])("node(id:) of a Receipt at %s needs receipts:read", async (bank) => {
    const receipt = ids[bank]!.receipt!;
    expect(receipt).toEqual(expect.any(String));
    t.resetBankCalls();
    const response = await t.gql(`query Rc($id: ID!) { node(id: $id) { id ... on Receipt { total { amount } } } }`, { id: receipt }, user.app);
    if (has(bank, "receipts:read")) {
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.node.id).toBe(receipt);
    } else {
      expect(response.body.data).toEqual({ node: null });
      expect(denialsOf(response)).toEqual([denial(["node"], "receipts:read", bank)]);
      expect(totalCallsAt(t, bank)).toBe(0);
    }
  });
});
