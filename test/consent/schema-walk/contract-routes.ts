/**
 * Walking the emitted contract (`schema.graphql`) the way a client can: from a root type through
 * object fields (and the concrete types behind an interface such as `Node`), without passing the
 * same type twice, to every field. Each way of reaching a field is a {@link Route}; a route renders
 * to a real document with minimal selections (`__typename`) and its required arguments filled.
 *
 * Nothing here knows which fields read a bank: the walk test finds that out by asking the mock
 * banks, and only reads `@requiresScopes` to check what it found against the contract.
 */
import { readFileSync } from "node:fs";
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isAbstractType,
  isEnumType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from "graphql";

/** A scope requirement as the directive writes it: outer list any of, inner list all of. */
export type Requirement = string[][];

/** One field selected on the way: on `parent`, and when the field returns an interface, narrowed to `on`. */
export interface Step {
  parent: GraphQLObjectType;
  field: GraphQLField<unknown, unknown>;
  /** The concrete object type this step yields (the field's own type, or the one picked behind an interface); none for a leaf. */
  yields?: GraphQLObjectType;
}

/** A way from a root type to one field: the steps before it and the field itself (the last step). */
export interface Route {
  steps: Step[];
}

/** Global IDs of real objects by type name, to fill `id`-like arguments. */
export type SampleIds = Partial<Record<string, string>>;

/** The contract the gateway emits (`npm run schema` writes it; a test elsewhere keeps it in sync). */
export function loadContract(path = "schema.graphql"): GraphQLSchema {
  return buildSchema(readFileSync(path, "utf8"));
}

/** `Parent.field`, and for a field returning an interface the concrete type too: `Query.node<Transaction>`. */
export function coordinateOf(step: Step): string {
  const declared = getNamedType(step.field.type);
  return isAbstractType(declared) && step.yields ? `${step.parent.name}.${step.field.name}<${step.yields.name}>` : `${step.parent.name}.${step.field.name}`;
}

/** The field (last step) of a route. */
export function lastStep(route: Route): Step {
  return route.steps[route.steps.length - 1]!;
}

/** Response keys from the root to the field (no aliases are used, so they are the field names). */
export function responseKeys(route: Route): string[] {
  return route.steps.map((s) => s.field.name);
}

/** How the route starts: its first step's coordinate. */
export function entryOf(route: Route): string {
  return coordinateOf(route.steps[0]!);
}

/**
 * Every route from `root` to every field, at most `maxDepth` steps long, never entering a type
 * already on the route (the last field may return one: `Transaction.account` is still walked).
 */
export function walkRoutes(schema: GraphQLSchema, root: GraphQLObjectType, maxDepth = 7): Route[] {
  const routes: Route[] = [];
  const visit = (type: GraphQLObjectType, before: Step[], seen: Set<string>) => {
    for (const field of Object.values(type.getFields())) {
      const yielded = concreteTypes(schema, getNamedType(field.type));
      if (yielded.length === 0) routes.push({ steps: [...before, { parent: type, field }] });
      for (const yields of yielded) {
        const step: Step = { parent: type, field, yields };
        routes.push({ steps: [...before, step] });
        if (!seen.has(yields.name) && before.length + 1 < maxDepth) visit(yields, [...before, step], new Set([...seen, yields.name]));
      }
    }
  };
  visit(root, [], new Set([root.name]));
  return routes;
}

/** The object types a field of this named type can yield: itself, or every implementation of an interface; none for leaves. */
function concreteTypes(schema: GraphQLSchema, type: GraphQLNamedType): GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  if (isAbstractType(type)) return [...schema.getPossibleTypes(type)];
  return [];
}

/** Wraps a leaf or an object selection for the last step: `__typename` is the smallest object selection. */
function selectionOf(step: Step, ids: SampleIds, inner?: string): string {
  const declared = getNamedType(step.field.type);
  const args = argumentsOf(step, ids);
  if (!isObjectType(declared) && !isAbstractType(declared)) return `${step.field.name}${args}`;
  const body = inner ?? "__typename";
  return isAbstractType(declared) && step.yields
    ? `${step.field.name}${args} { ... on ${step.yields.name} { ${body} } }`
    : `${step.field.name}${args} { ${body} }`;
}

/**
 * The document selecting the route's field (`withField`), or only its parent (`__typename` in its
 * place). `operation` is `query` or `subscription`.
 */
export function renderRoute(route: Route, ids: SampleIds, options: { withField: boolean; operation?: "query" | "subscription" }): string {
  const last = lastStep(route);
  return wrap(route.steps.slice(0, -1), options.withField ? `__typename ${selectionOf(last, ids)}` : "__typename", ids, options.operation);
}

/**
 * One document selecting the fields of several routes that share everything but their field
 * (aliased, so `node(id:)` variants can stand side by side): a cheap first look at whether any of
 * them adds bank calls.
 */
export function renderSiblings(routes: Route[], ids: SampleIds): string {
  const inner = routes.map((r, i) => `f${i}: ${selectionOf(lastStep(r), ids)}`).join(" ");
  return wrap(routes[0]!.steps.slice(0, -1), `__typename ${inner}`, ids);
}

function wrap(steps: Step[], selection: string, ids: SampleIds, operation: "query" | "subscription" = "query"): string {
  let inner = selection;
  for (let i = steps.length - 1; i >= 0; i--) inner = selectionOf(steps[i]!, ids, inner);
  return `${operation} Walk { ${inner} }`;
}

/** Arguments the field cannot go without, filled with plain values or real IDs. */
function argumentsOf(step: Step, ids: SampleIds): string {
  const required = step.field.args.filter((a) => a.type.toString().endsWith("!") && a.defaultValue === undefined);
  if (required.length === 0) return "";
  return `(${required.map((a) => `${a.name}: ${valueFor(a, step, ids)}`).join(", ")})`;
}

function valueFor(arg: GraphQLArgument, step: Step, ids: SampleIds): string {
  const type = getNullableType(arg.type);
  if (isListType(type)) throw new Error(`${coordinateOf(step)}(${arg.name}:) is a required list: teach contract-routes.ts to fill it`);
  const named = getNamedType(type);
  if (named.name === "ID") return JSON.stringify(idFor(arg.name, step, ids));
  if (named.name === "Int") return "5";
  if (named.name === "String") return '"walk"';
  if (named.name === "Boolean") return "true";
  if (isEnumType(named)) return named.getValues()[0]!.name;
  if (isScalarType(named)) throw new Error(`${coordinateOf(step)}(${arg.name}:) needs a ${named.name}: teach contract-routes.ts to fill it`);
  throw new Error(`${coordinateOf(step)}(${arg.name}:) needs an input object: teach contract-routes.ts to fill it`);
}

/** `id` names the object the field returns; `accountId` an Account; anything else: an Account's ID (the commonest handle). */
function idFor(name: string, step: Step, ids: SampleIds): string {
  const typeName = name === "id" ? (step.yields?.name ?? "Account") : name.endsWith("Id") ? name[0]!.toUpperCase() + name.slice(1, -2) : "Account";
  const id = ids[typeName] ?? ids["Account"];
  if (!id) throw new Error(`no sample ${typeName} ID to fill ${coordinateOf(step)}(${name}:)`);
  return id;
}

/** Whether the route needs a sample ID anywhere (it cannot be used to find IDs). */
export function needsIds(route: Route): boolean {
  return route.steps.some((s) =>
    s.field.args.some((a) => a.type.toString().endsWith("!") && a.defaultValue === undefined && getNamedType(a.type).name === "ID"),
  );
}

/** `@requiresScopes(scopes:)` on a field or an object type in the contract, or undefined. */
export function requirementOn(node: GraphQLField<unknown, unknown> | GraphQLObjectType): Requirement | undefined {
  const directive = node.astNode?.directives?.find((d) => d.name.value === "requiresScopes");
  if (!directive) return undefined;
  const argument = directive.arguments?.find((a) => a.name.value === "scopes");
  if (argument?.value.kind !== Kind.LIST) throw new Error(`malformed @requiresScopes on ${node.name}`);
  return argument.value.values.map((inner) => {
    if (inner.kind !== Kind.LIST) throw new Error(`malformed @requiresScopes on ${node.name}`);
    return inner.values.map((v) => {
      if (v.kind !== Kind.STRING) throw new Error(`malformed @requiresScopes on ${node.name}`);
      return v.value;
    });
  });
}

/** Every scope any `@requiresScopes` in the contract names. */
export function scopesInContract(schema: GraphQLSchema): string[] {
  const scopes = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const all of requirementOn(type) ?? []) for (const s of all) scopes.add(s);
    for (const field of Object.values(type.getFields())) for (const all of requirementOn(field) ?? []) for (const s of all) scopes.add(s);
  }
  return [...scopes].sort();
}

/** Scopes a route's steps before the field need (field and type directives): a denial of those hides the field higher up. */
export function scopesAbove(route: Route): Set<string> {
  const scopes = new Set<string>();
  for (const step of route.steps.slice(0, -1)) {
    for (const requirement of [requirementOn(step.field), step.yields && requirementOn(step.yields)])
      for (const all of requirement ?? []) for (const s of all) scopes.add(s);
  }
  return scopes;
}

/** Whether the field's declared type is a list (its instance is the whole list). */
export function returnsList(step: Step): boolean {
  return isListType(getNullableType(step.field.type));
}
