/**
 * Apollo plugin: refuses an operation whose estimated cost exceeds `maxCost`, after validation
 * and before any resolver runs. The estimate (graphql-query-complexity): every field costs 1 plus
 * its selection; a field with a `complexity` in its type-graphql options (lists, pages of `first`
 * items — see src/schema/complexity.ts) uses that instead. It needs the variables, which is why
 * this is a plugin and not a validation rule.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { getVariableValues } from "graphql";
import type * as QueryComplexity from "graphql-query-complexity";
import { createRequire } from "node:module";
import { queryLimitError } from "./query-limit-error.js";

// The package's ESM build imports graphql's .mjs files by name, while type-graphql builds the
// schema on graphql's CommonJS build, and graphql refuses to mix the two ("from another module or
// realm"). Its CommonJS build shares the schema's graphql.
const { fieldExtensionsEstimator, getComplexity, simpleEstimator } = createRequire(import.meta.url)("graphql-query-complexity") as typeof QueryComplexity;

/** The plugin; `maxCost` is MAX_QUERY_COST (default 50000). */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  const estimators = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, schema }) {
          const variables = request.variables ?? {};
          // No operation, or variables that do not coerce: execution refuses the request with its
          // own error before any resolver runs, so there is nothing to estimate.
          if (!operation || getVariableValues(schema, operation.variableDefinitions ?? [], variables).errors) return;
          let cost: number;
          try {
            cost = getComplexity({ schema, query: document, operationName: request.operationName ?? undefined, variables, estimators });
          } catch {
            // The estimator gives up on documents too large to walk: too complex by definition.
            throw queryLimitError("COST", maxCost);
          }
          if (cost > maxCost) throw queryLimitError("COST", maxCost, cost);
        },
      };
    },
  };
}
