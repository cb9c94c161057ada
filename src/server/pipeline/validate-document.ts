/**
 * Step 3 — validate: graphql-js's specified rules plus the document-shape limits, in ONE list that
 * every transport runs (Apollo Server takes `limitRules` as its `validationRules` and adds the
 * specified rules itself; WebSocket calls `validateDocument`). A broken limit is QUERY_TOO_COMPLEX
 * naming it. Body size and tokens are checked before parsing (transport, parse-document.ts); the
 * cost needs the variables and the operation, so it is its own step (cost-limit.ts).
 */
import { specifiedRules, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type ValidationRule } from "graphql";
import type { RequestLimits } from "../../config.js";
import { aliasLimitRule } from "./rules/alias-limit.rule.js";
import { depthLimitRule } from "./rules/depth-limit.rule.js";
import { directiveLimitRule } from "./rules/directive-limit.rule.js";
import { selectionLimitRule } from "./rules/selection-limit.rule.js";

/** The limit rules: selections (fragment bombs), depth, aliases, directives. */
export function limitRules(limits: RequestLimits): ValidationRule[] {
  return [
    selectionLimitRule(limits.maxSelections),
    depthLimitRule(limits.maxDepth),
    aliasLimitRule(limits.maxAliases),
    directiveLimitRule(limits.maxDirectives),
  ];
}

/**
 * Every validation error of `document` (empty when valid): specified rules, then `rules`
 * ({@link limitRules}). `hideSuggestions` (production) leaves out "Did you mean …?" hints that map
 * the schema for a caller, as Apollo's `hideSchemaDetailsFromClientErrors` does over HTTP.
 */
export function validateDocument(
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: readonly ValidationRule[],
  { hideSuggestions = false }: { hideSuggestions?: boolean } = {},
): readonly GraphQLError[] {
  return validate(schema, document, [...specifiedRules, ...rules], { hideSuggestions });
}
