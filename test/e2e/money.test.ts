/**
 * Money is never a float: in a full dashboard over six banks (balances, limits, transactions,
 * receipts with line items) every amount is a decimal string with exactly two digits and an
 * ISO 4217 currency, the only numbers anywhere are line-item quantities — and the schema, as
 * served and as committed, has no Float at all.
 */
import { readFile } from "node:fs/promises";
import { buildSchema, getNamedType, isInputObjectType, isInterfaceType, isObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BANK_IDS, DASHBOARD_QUERY, linkedUser, PATIENT_ENV } from "../support/dashboard.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";

const DECIMAL = /^-?\d+\.\d{2}$/;

let t: TestGateway;
let user: TestUser;

beforeAll(async () => {
  t = await startTestGateway({ env: PATIENT_ENV });
  user = await linkedUser(t, "money");
});
afterAll(() => t?.close());

interface Leaf {
  path: string;
  key: string;
  value: unknown;
}

/** Every Money object (keys exactly amount and currency), and every primitive leaf, with its path. */
function walk(
  value: unknown,
  path = "$",
  found: { money: Array<{ path: string; money: Record<string, unknown> }>; leaves: Leaf[] } = { money: [], leaves: [] },
) {
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}[${i}]`, found));
  else if (value !== null && typeof value === "object") {
    if (Object.keys(value).sort().join() === "amount,currency") found.money.push({ path, money: value as Record<string, unknown> });
    for (const [key, child] of Object.entries(value)) {
      if (child !== null && typeof child === "object") walk(child, `${path}.${key}`, found);
      else found.leaves.push({ path: `${path}.${key}`, key, value: child });
    }
  }
  return found;
}

describe("amounts in a full dashboard", () => {
  let found: ReturnType<typeof walk>;

  beforeAll(async () => {
    const response = await t.gql(DASHBOARD_QUERY, {}, user.app);
    expect(response.body.errors).toBeUndefined();
    found = walk(response.body.data);
  });

  it("covers every bank, balances, limits, transactions and receipt line items", () => {
    const where = new Set(found.money.map((m) => m.path.replace(/\[\d+\]/g, "[]")));
    expect([...where].sort()).toEqual(
      [
        "$.accounts[].balance.available",
        "$.accounts[].balance.current",
        "$.accounts[].balance.limit",
        "$.accounts[].transactions.nodes[].amount",
        "$.accounts[].transactions.nodes[].receipt.items[].total",
        "$.accounts[].transactions.nodes[].receipt.items[].unitPrice",
        "$.accounts[].transactions.nodes[].receipt.subtotal",
        "$.accounts[].transactions.nodes[].receipt.tax",
        "$.accounts[].transactions.nodes[].receipt.total",
      ].sort(),
    );
    const banks = new Set(found.leaves.filter((l) => /\.institution\.id$/.test(l.path)).map((l) => l.value));
    expect([...banks].sort()).toEqual([...BANK_IDS].sort());
  });

  it("every amount is a two-decimal string with an ISO 4217 currency", () => {
    expect(found.money.length).toBeGreaterThan(100);
    const bad = found.money.filter(
      ({ money }) =>
        typeof money["amount"] !== "string" || !DECIMAL.test(money["amount"]) || typeof money["currency"] !== "string" || !/^[A-Z]{3}$/.test(money["currency"]),
    );
    expect(bad).toEqual([]);
  });

  it("has no number anywhere except line-item quantities (integers)", () => {
    const numbers = found.leaves.filter((l) => typeof l.value === "number");
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.filter((l) => l.key !== "quantity" || !Number.isInteger(l.value))).toEqual([]);
  });
});

describe("the schema", () => {
  it("as served has no Float type, and Money.amount is String!", async () => {
    const response = await t.gql(
      `{ __schema { types { name } } float: __type(name: "Float") { name } money: __type(name: "Money") { fields { name type { kind ofType { name } } } } }`,
      {},
      user.app,
    );
    expect(response.body.errors).toBeUndefined();
    const data = response.body.data;
    expect(data.float).toBeNull();
    expect(data.__schema.types.map((type: { name: string }) => type.name)).not.toContain("Float");
    expect(data.money.fields).toEqual([
      { name: "amount", type: { kind: "NON_NULL", ofType: { name: "String" } } },
      { name: "currency", type: { kind: "NON_NULL", ofType: { name: "String" } } },
    ]);
  });

  it("as committed in schema.graphql uses Float nowhere: no field, argument or input field", async () => {
    const sdl = await readFile(new URL("../../schema.graphql", import.meta.url), "utf8");
    expect(sdl).not.toMatch(/\bFloat\b/);
    const schema = buildSchema(sdl);
    const floats: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__")) continue;
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (getNamedType(field.type).name === "Float") floats.push(`${type.name}.${field.name}`);
          for (const arg of field.args) if (getNamedType(arg.type).name === "Float") floats.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (getNamedType(field.type).name === "Float") floats.push(`${type.name}.${field.name}`);
      }
    }
    expect(floats).toEqual([]);
    expect(schema.getType("Float")).toBeUndefined();
  });
});
