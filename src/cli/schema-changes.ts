/**
 * What changed between two versions of the public schema: graphql-js's own breaking and dangerous
 * change detection, plus the types, fields and directives that were added (which it does not list).
 */
import { findBreakingChanges, findDangerousChanges, isInterfaceType, isObjectType, isSpecifiedScalarType, type GraphQLSchema } from "graphql";

/** One change as graphql-js names it, e.g. `{ type: "FIELD_REMOVED", description: "Account.mask was removed." }`. */
export interface SchemaChange {
  type: string;
  description: string;
}

export interface SchemaChanges {
  /** Changes that can break an existing client (removed fields, narrowed types, new required args…). */
  breaking: SchemaChange[];
  /** Changes that can change an existing client's results (new enum values, changed defaults…). */
  dangerous: SchemaChange[];
  /**
   * Types, output fields and directives new in `after` (`Type`, `Type.field`, `@directive`). New
   * arguments, input fields and enum values are not repeated here: graphql-js already reports
   * each of them as breaking (required) or dangerous (optional, enum value).
   */
  added: string[];
}

function coordinates(schema: GraphQLSchema): Set<string> {
  const found = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || isSpecifiedScalarType(type)) continue;
    found.add(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) found.add(`${type.name}.${field.name}`);
    }
  }
  for (const directive of schema.getDirectives()) found.add(`@${directive.name}`);
  return found;
}

/** Compares the committed schema (`before`) with the code's (`after`). */
export function compareSchemas(before: GraphQLSchema, after: GraphQLSchema): SchemaChanges {
  const known = coordinates(before);
  const toChange = ({ type, description }: SchemaChange) => ({ type, description });
  return {
    breaking: findBreakingChanges(before, after).map(toChange),
    dangerous: findDangerousChanges(before, after).map(toChange),
    added: [...coordinates(after)].filter((c) => !known.has(c)).sort(),
  };
}

/** True when a client could notice: anything breaking, dangerous or added (not descriptions alone). */
export function changesContract(changes: SchemaChanges): boolean {
  return changes.breaking.length + changes.dangerous.length + changes.added.length > 0;
}

/** One line per change: `BREAKING  FIELD_REMOVED: Account.mask was removed.`, `DANGEROUS …`, `ADDED     Query.x`. */
export function describeChanges(changes: SchemaChanges): string[] {
  return [
    ...changes.breaking.map((c) => `BREAKING  ${c.type}: ${c.description}`),
    ...changes.dangerous.map((c) => `DANGEROUS ${c.type}: ${c.description}`),
    ...changes.added.map((c) => `ADDED     ${c}`),
  ];
}
