/**
 * `@requiresScopes` for a compiling executor (src/server/execution/compiled-queries.ts): the same
 * decisions as requires-scopes.ts, taken where a guarded type's objects enter the answer instead
 * of at each of their plain fields.
 *
 * Under the reference transform every field of a type marked `@requiresScopes` is guarded, plain
 * data fields included (a transaction's id, date, amount…). That is right for graphql-js, whose
 * default resolver costs little, but graphql-jit reads a field without a resolver inline and pays
 * for one with a resolver: an info object, a path and three closures a call. A dashboard's 70
 * transactions made 490 such calls, 2 KB of garbage a transaction.
 *
 * This derived schema leaves those plain fields plain and checks each object of such a type once,
 * in the field that returns it (its list, its connection's `nodes`, an edge's `node`). Every other
 * guard stays as it is: fields with their own resolver, or with their own requirement, are still
 * decided one by one.
 *
 * An object that would be refused cannot be answered from here: its refusal belongs at each
 * selected field's path, which only the per-field guards give. So a refusal (or an object without a
 * link, or a type this cannot tell) only calls `refer(context)`, and the executor must throw this
 * run's result away and answer with the reference schema. The objects of an answer are therefore
 * either all granted here, where this schema's answer is the reference's, or the reference answers.
 */
import { MapperKind, mapSchema } from "@graphql-tools/utils";
import {
  defaultFieldResolver,
  getNamedType,
  isAbstractType,
  isObjectType,
  type GraphQLAbstractType,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from "graphql";
import type { ConsentView, ScopeRequirement } from "./consent-view.js";
import { guardedFieldOf, type ConsentGuardContext } from "./requires-scopes.js";

/** Told of a context whose run must be answered with the reference schema instead. */
export type ReferTo = (context: object) => void;

/**
 * `schema` (with requires-scopes.ts applied) with the plain fields of guarded types unguarded and
 * their objects checked where they enter. A schema without guards comes back as it is.
 */
export function applyRequiresScopesAtEntry(schema: GraphQLSchema, refer: ReferTo): GraphQLSchema {
  const checkedTypes = typesCheckedAtEntry(schema);
  if (checkedTypes.size === 0) return schema;
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig) => {
      let resolve = typeRequirementOnly(fieldConfig.resolve) ? undefined : fieldConfig.resolve;
      const requirementOf = requirementOfReturned(schema, getNamedType(fieldConfig.type), checkedTypes);
      if (requirementOf) resolve = checkedAtEntry(resolve ?? defaultFieldResolver, requirementOf, refer);
      return resolve === fieldConfig.resolve ? fieldConfig : { ...fieldConfig, resolve };
    },
  });
}

/**
 * The requirement of the type `resolve` guards, when that is all it guards and the field is plain
 * data: a guard this schema drops, its type's objects checked where they enter instead.
 */
function typeRequirementOnly(resolve: GraphQLFieldResolver<unknown, never> | undefined): ScopeRequirement | undefined {
  const guarded = guardedFieldOf(resolve);
  const plain = guarded !== undefined && (guarded.resolve === undefined || guarded.resolve === defaultFieldResolver);
  return plain && guarded.onField === undefined ? guarded.onType : undefined;
}

/** Object types with a guard {@link typeRequirementOnly} drops, and their requirement. */
function typesCheckedAtEntry(schema: GraphQLSchema): Map<string, ScopeRequirement> {
  const types = new Map<string, ScopeRequirement>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const requirement = typeRequirementOnly(field.resolve);
      if (requirement) types.set(type.name, requirement);
    }
  }
  return types;
}

/** How a field returning `returned` finds each object's requirement; undefined when none of its objects is checked here. */
function requirementOfReturned(
  schema: GraphQLSchema,
  returned: GraphQLNamedType,
  checkedTypes: ReadonlyMap<string, ScopeRequirement>,
): RequirementOf | undefined {
  if (isAbstractType(returned)) {
    return schema.getPossibleTypes(returned).some((t) => checkedTypes.has(t.name)) ? concreteRequirement(returned, checkedTypes) : undefined;
  }
  const requirement = checkedTypes.get(returned.name);
  return requirement && (() => requirement);
}

/** What an object returned as `abstractType` requires: null when it is of a type not checked here, undefined when that cannot be told. */
type RequirementOf = (value: object, context: ConsentGuardContext, info: GraphQLResolveInfo) => ScopeRequirement | null | undefined;

function concreteRequirement(abstractType: GraphQLAbstractType, checkedTypes: ReadonlyMap<string, ScopeRequirement>): RequirementOf {
  return (value, context, info) => {
    let typeName: unknown;
    try {
      typeName = abstractType.resolveType?.(value, context, info, abstractType);
    } catch {
      return null; // Both executors raise the same error for it.
    }
    return typeof typeName === "string" ? (checkedTypes.get(typeName) ?? null) : undefined;
  };
}

/**
 * `resolve`, then every object in its value (a list's items, at any depth) decided against its
 * type's requirement on its own link. The value goes on unchanged; a refusal tells `refer`.
 */
function checkedAtEntry(
  resolve: GraphQLFieldResolver<unknown, ConsentGuardContext>,
  requirementOf: RequirementOf,
  refer: ReferTo,
): GraphQLFieldResolver<unknown, ConsentGuardContext> {
  /**
   * As the per-field guard does: the request view, link and requirement last granted, whose next
   * objects need no lookup (the requirement too: an interface's objects are of several types).
   */
  let grantedView: ConsentView | undefined;
  let grantedLink: string | undefined;
  let grantedRequirement: ScopeRequirement | undefined;

  const check = (value: unknown, context: ConsentGuardContext, info: GraphQLResolveInfo, pending: Promise<unknown>[]): void => {
    if (value === null || value === undefined || typeof value !== "object" || value instanceof Error) return;
    if (Array.isArray(value)) {
      for (const item of value) check(item, context, info, pending);
      return;
    }
    const requirement = requirementOf(value, context, info);
    if (requirement === null) return;
    const linkId = (value as { linkId?: unknown }).linkId;
    if (requirement === undefined || typeof linkId !== "string") return refer(context);
    if (context.consents === grantedView && linkId === grantedLink && requirement === grantedRequirement) return;
    const decision = context.consents.decideNow(linkId, requirement);
    if (decision === undefined) {
      pending.push(context.consents.decide(linkId, requirement).then((later) => later.granted || refer(context)));
    } else if (!decision.granted) {
      refer(context);
    } else {
      grantedView = context.consents;
      grantedLink = linkId;
      grantedRequirement = requirement;
    }
  };

  const checked = (value: unknown, context: ConsentGuardContext, info: GraphQLResolveInfo): unknown => {
    const pending: Promise<unknown>[] = [];
    check(value, context, info, pending);
    return pending.length === 0 ? value : Promise.all(pending).then(() => value);
  };

  return (source, args, context, info) => {
    const value: unknown = resolve(source, args, context, info);
    return value instanceof Promise ? value.then((resolved) => checked(resolved, context, info)) : checked(value, context, info);
  };
}
