/**
 * Hands Apollo Server our executor (src/server/execution/compiled-queries.ts) through the one seam
 * Apollo Server 5 has for an executor: its gateway interface. Apollo still parses, validates,
 * runs the plugins and formats errors as before. Only the executor changes. The "gateway" serves
 * one schema that never changes.
 */
import type { ApolloServerOptionsWithGateway } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import { CompiledQueries } from "./compiled-queries.js";

type ApolloGateway = ApolloServerOptionsWithGateway<never>["gateway"];

/** Apollo's `gateway` option for `schema`, executed by {@link CompiledQueries}. */
export function executingGateway(schema: GraphQLSchema): ApolloGateway {
  const queries = new CompiledQueries(schema);
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => undefined;
    },
    load: () =>
      Promise.resolve({
        executor: (request) =>
          queries.run({
            document: request.document,
            operation: request.operation,
            // As the client asked (Apollo's own `operationName` is the one it resolved, or null).
            operationName: request.request.operationName ?? null,
            variables: request.request.variables,
            contextValue: request.context,
          }),
      }),
    stop: () => Promise.resolve(),
  };
}
