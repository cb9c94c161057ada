/**
 * Step 4 — cost limit: refuses an operation whose estimated cost exceeds `maxCost`, after
 * validation and before any resolver runs (before a subscription's source stream is opened). The
 * estimate (graphql-query-complexity): every field costs 1 plus its selection; a field with a
 * `complexity` in its type-graphql options (lists, pages of `first` items — see
 * src/schema/complexity.ts) uses that instead. It needs the variables and the chosen operation,
 * which is why it is a step of its own and not a validation rule.
 */
import { getVariableValues, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import type * as QueryComplexity from "graphql-query-complexity";
import { createRequire } from "node:module";
import { BoundedMap } from "../../bounded-map.js";
import { queryLimitError } from "./query-limit-error.js";

// The package's ESM build imports graphql's .mjs files by name, while type-graphql builds the
// schema on graphql's CommonJS build, and graphql refuses to mix the two ("from another module or
// realm"). Its CommonJS build shares the schema's graphql.
const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = createRequire(import.meta.url)("graphql-query-complexity") as typeof QueryComplexity;

const estimators = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];

/** What the estimate reads: the validated document, the operation to run and its variables. */
export interface CostedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode | null | undefined;
  operationName?: string | null;
  variables?: Readonly<Record<string, unknown>> | null;
}

/**
 * Estimates already made, by document and then by operation name and variables — all an estimate
 * depends on for one schema. Over HTTP Apollo hands every request of the same query text the same
 * cached DocumentNode, so a repeated query costs a map lookup instead of a walk of its document.
 * `null`: nothing to estimate; `Infinity`: too large to walk.
 */
const estimates = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, BoundedMap<string, number | null>>>();
/** Variable sets remembered per document; beyond it the set remembered longest ago goes. */
const MAX_REMEMBERED_PER_DOCUMENT = 64;

/** Throws QUERY_TOO_COMPLEX (limit COST) when the operation costs more than `maxCost` (MAX_QUERY_COST, default 50000). */
export function assertCostLimit(costed: CostedOperation, maxCost: number): void {
  const { schema, document, operationName, variables } = costed;
  let byDocument = estimates.get(schema);
  if (!byDocument) estimates.set(schema, (byDocument = new WeakMap()));
  let remembered = byDocument.get(document);
  if (!remembered) byDocument.set(document, (remembered = new BoundedMap<string, number | null>(MAX_REMEMBERED_PER_DOCUMENT)));
  const key = `${operationName ?? ""}\u0000${JSON.stringify(variables ?? {})}`;
  let cost = remembered.get(key);
  if (cost === undefined) {
    cost = estimate(costed);
    remembered.set(key, cost);
  }
  if (cost === Infinity) throw queryLimitError("COST", maxCost);
  if (cost !== null && cost > maxCost) throw queryLimitError("COST", maxCost, cost);
}

function estimate({ schema, document, operation, operationName, variables }: CostedOperation): number | null {
  const values = { ...(variables ?? {}) };
  // No operation, or variables that do not coerce: execution refuses the request with its own
  // error before any resolver runs, so there is nothing to estimate.
  if (!operation || getVariableValues(schema, operation.variableDefinitions ?? [], values).errors) return null;
  try {
    return getComplexity({ schema, query: document, operationName: operationName ?? undefined, variables: values, estimators });
  } catch {
    // The estimator gives up on documents too large to walk: too complex by definition.
    return Infinity;
  }
}
