/**
 * Consent decided where guarded objects enter the answer (src/consent/requires-scopes-at-entry.ts)
 * under the compiling executor (src/server/execution/compiled-queries.ts). Whatever the consents,
 * every run of a document — the first on graphql-js, later ones compiled — answers exactly what
 * graphql-js answers over the reference schema with its per-field guards: granted objects from
 * the compiled run, refused ones (errors at each field's path) from the reference run the refusal
 * hands over to. A small schema of its own, so that refusals the gateway's bank gate never lets
 * through (it decides before it reads) can be made here.
 */
import { buildSchema, execute, parse, type ExecutionResult, type GraphQLSchema } from "graphql";
import { describe, expect, it } from "vitest";
import type { ConsentView, Decision, ScopeRequirement } from "../../../src/consent/consent-view.js";
import { applyRequiresScopes } from "../../../src/consent/requires-scopes.js";
import { applyRequiresScopesAtEntry } from "../../../src/consent/requires-scopes-at-entry.js";
import { CompiledQueries } from "../../../src/server/execution/compiled-queries.js";

const SDL = `
directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT
interface Node { id: ID! }
type Money { amount: String! }
type Item implements Node @requiresScopes(scopes: [["items:read"]]) {
  id: ID!
  name: String!
  price: Money
  note: String @requiresScopes(scopes: [["notes:read"]])
  twin: Item
}
type ItemEdge { node: Item! }
type ItemPage { nodes: [Item!]! edges: [ItemEdge!]! }
type Note implements Node @requiresScopes(scopes: [["notes:read"]]) { id: ID! text: String! }
type Other implements Node { id: ID! }
type Query { items: [Item!]! page: ItemPage! node(id: ID!): Node first: Item }
`;

/** Link "a" grants both scopes, "b" items only, "c" nothing. */
const GRANTS: Record<string, readonly string[]> = { a: ["items:read", "notes:read"], b: ["items:read"], c: [] };

interface ItemRow {
  kind: "Item";
  id: string;
  name: string;
  price: { amount: string };
  note: string;
  twin: ItemRow | null;
  linkId?: string;
}
const item = (id: string, linkId: string | undefined, twin: ItemRow | null = null): ItemRow => ({
  kind: "Item",
  id,
  name: `name of ${id}`,
  price: { amount: `${id.length}.00` },
  note: `note of ${id}`,
  twin,
  ...(linkId === undefined ? {} : { linkId }),
});

function schemaServing(rows: ItemRow[]): GraphQLSchema {
  const schema = buildSchema(SDL);
  const query = schema.getQueryType()!.getFields();
  query["items"]!.resolve = () => Promise.resolve(rows);
  query["page"]!.resolve = () => ({ nodes: rows, edges: rows.map((node) => ({ node })) });
  query["first"]!.resolve = () => rows[0] ?? null;
  query["node"]!.resolve = (_: unknown, { id }: { id: string }) => {
    if (id === "other") return { kind: "Other", id };
    if (id.startsWith("note-")) return { kind: "Note", id, text: `text of ${id}`, linkId: id.slice("note-".length) };
    return rows.find((r) => r.id === id) ?? null;
  };
  // The interface resolves by the row's kind.
  (schema.getType("Node") as unknown as { resolveType: (v: { kind: string }) => string }).resolveType = (value) => value.kind;
  return applyRequiresScopes(schema);
}

/**
 * A request's consent view: decisions by link, memoized; with `loaded: false` none is known until
 * asked for asynchronously, as when a request's consents are not read yet.
 */
function consentView(loaded: boolean): ConsentView {
  const known = new Set<string>();
  const decideNow = (linkId: string, requirement: ScopeRequirement): Decision | undefined => {
    if (!loaded && !known.has(linkId)) return undefined;
    const granted = requirement.some((all) => all.every((scope) => GRANTS[linkId]?.includes(scope)));
    return granted
      ? ({ granted: true, consent: { id: `consent-${linkId}` }, scopes: [], window: {} } as unknown as Decision)
      : ({ granted: false, reason: "NOT_GRANTED", decidedBy: null } as unknown as Decision);
  };
  const decide = async (linkId: string, requirement: ScopeRequirement) => {
    await Promise.resolve();
    known.add(linkId);
    return decideNow(linkId, requirement)!;
  };
  return { decideNow, decide } as unknown as ConsentView;
}

const QUERIES = {
  list: `{ items { id name price { amount } } }`,
  listWithNote: `{ items { id name note } }`,
  connection: `{ page { nodes { id name } edges { node { id price { amount } } } } }`,
  nested: `{ first { id twin { id name } } }`,
  onlyTypename: `{ items { __typename } }`,
  nullableOnly: `{ items { price { amount } } }`,
  abstract: `query ($id: ID!) { node(id: $id) { id ... on Item { name } } }`,
  /** An item, then a note of the same link: the note's own requirement is decided, not the item's remembered. */
  twoTypesOneLink: `query ($id: ID!, $note: ID!) { item: node(id: $id) { id } note: node(id: $note) { ... on Note { text } } }`,
};

/** A result as Apollo sends it: data, then errors (the two executors put the keys in different orders). */
const asSent = (result: ExecutionResult): string => JSON.stringify({ data: result.data, errors: result.errors });

/** Three runs of each query through the compiling executor, each beside graphql-js on the reference schema. */
async function expectReferenceAnswers(
  rows: ItemRow[],
  loaded: boolean,
  variables: Record<string, unknown> = {},
  only?: Array<keyof typeof QUERIES>,
): Promise<void> {
  const reference = schemaServing(rows);
  const queries = new CompiledQueries(reference);
  for (const [name, text] of Object.entries(QUERIES).filter(([name]) => !only || only.includes(name as keyof typeof QUERIES))) {
    const document = parse(text);
    const operation = document.definitions[0] as Parameters<CompiledQueries["run"]>[0]["operation"];
    const last = rows.at(-1);
    const vars = ["abstract", "twoTypesOneLink"].includes(name) ? { id: last?.id ?? "none", note: `note-${last?.linkId ?? "none"}`, ...variables } : variables;
    for (let run = 1; run <= 3; run++) {
      const expected = await execute({ schema: reference, document, contextValue: { consents: consentView(loaded) }, variableValues: vars });
      const answer = await queries.run({ document, operation, operationName: null, variables: vars, contextValue: { consents: consentView(loaded) } });
      expect(asSent(answer), `${name}, run ${run}`).toBe(asSent(expected));
    }
  }
}

describe("consent decided at entry answers as the per-field guards do", () => {
  it("leaves the plain fields of a guarded type without a resolver, and keeps every other guard", () => {
    const reference = schemaServing([]);
    const atEntry = applyRequiresScopesAtEntry(reference, () => undefined);
    const item = (schema: GraphQLSchema) => (schema.getType("Item") as unknown as { getFields(): Record<string, { resolve?: unknown }> }).getFields();
    expect(item(reference)["name"]!.resolve).toBeTypeOf("function");
    expect(item(atEntry)["name"]!.resolve).toBeUndefined();
    expect(item(atEntry)["id"]!.resolve).toBeUndefined();
    expect(item(atEntry)["note"]!.resolve).toBe(item(reference)["note"]!.resolve);
    const unguarded = buildSchema(SDL);
    expect(applyRequiresScopesAtEntry(unguarded, () => undefined)).toBe(unguarded);
  });

  it("all granted: the compiled answer", async () => {
    await expectReferenceAnswers([item("a1", "a"), item("a2", "a", item("b9", "b")), item("b1", "b")], true);
  });

  it("an object whose link grants nothing: refused at each field, from the reference run", async () => {
    await expectReferenceAnswers([item("a1", "a"), item("c1", "c"), item("b1", "b")], true);
  });

  it("a refused object nested under a granted one", async () => {
    await expectReferenceAnswers([item("a1", "a", item("c2", "c"))], true);
  });

  it("consents not loaded yet: decided asynchronously, granted or refused", async () => {
    await expectReferenceAnswers([item("a1", "a"), item("b1", "b")], false);
    // Which refusals graphql-js reports depends on whether a decision was known when each field ran
    // (an object stops at its first non-null refusal): asked where each object has one field, nullable.
    await expectReferenceAnswers([item("b1", "b"), item("c1", "c")], false, {}, ["nullableOnly"]);
  });

  it("an object without a link: the guard's error, from the reference run", async () => {
    await expectReferenceAnswers([item("a1", "a"), item("x1", undefined)], true);
  });

  it("through an interface: a guarded type is told by its resolveType; another type passes", async () => {
    await expectReferenceAnswers([item("c1", "c")], true);
    await expectReferenceAnswers([item("a1", "a")], true);
    await expectReferenceAnswers([item("a1", "a")], true, { id: "other" });
  });

  it("a refusal the compiled run would have answered is not answered from it", async () => {
    const rows = [item("c1", "c")];
    const reference = schemaServing(rows);
    const queries = new CompiledQueries(reference);
    const document = parse(QUERIES.list);
    const operation = document.definitions[0] as Parameters<CompiledQueries["run"]>[0]["operation"];
    for (let run = 1; run <= 3; run++) {
      const answer = await queries.run({ document, operation, operationName: null, variables: {}, contextValue: { consents: consentView(true) } });
      expect(JSON.stringify(answer)).not.toContain("name of c1");
      expect(answer.errors?.map((e) => e.path?.join("."))).toEqual(["items.0.id"]);
    }
  });
});
