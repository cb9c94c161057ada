/**
 * The schema's own description — the first thing `schema.graphql`, introspection and the
 * playground's docs show: what the gateway answers and every `extensions.code` a client can meet,
 * generated from the one ErrorCode enum so the documentation cannot drift from the code.
 */
import { GraphQLSchema } from "graphql";
import { ErrorCode, errorCodeDescriptions } from "../errors.js";

/** The description text (Markdown). */
export function schemaDescription(): string {
  const codes = Object.values(ErrorCode).map((code) => `- ${code}: ${errorCodeDescriptions[code]}`);
  return [
    "Bankgraph: one schema over a person's accounts at several banks; an app sees only what the person consented to, bank by bank, scope by scope, and every read is logged.",
    "",
    "Responses carry partial data beside errors: a field the consent does not cover, or a bank that cannot answer, is null with one error at its path, and the rest of the data still comes back. Each error's extensions.code is one of:",
    ...codes,
  ].join("\n");
}

/** `schema` with {@link schemaDescription} as its description. */
export function describeSchema(schema: GraphQLSchema): GraphQLSchema {
  return new GraphQLSchema({ ...schema.toConfig(), description: schemaDescription() });
}
