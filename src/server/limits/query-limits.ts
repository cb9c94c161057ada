/**
 * The query limits Apollo applies, from configuration: validation rules for the document's shape
 * (depth, aliases, directives) and Apollo's own recursive-selections bound (fragment bombs; it
 * runs first, so the other rules only ever see documents of bounded size). The cost limit is a
 * plugin (use-cost-limit.ts); body size and tokens are checked before Apollo (use-body-limit.ts,
 * use-token-limit.ts).
 */
import type { ApolloServerOptions, BaseContext } from "@apollo/server";
import type { RequestLimits } from "../../config.js";
import { aliasLimitRule } from "./use-alias-limit.js";
import { depthLimitRule } from "./use-depth-limit.js";
import { directiveLimitRule } from "./use-directive-limit.js";

/** Apollo Server options that enforce `limits`; spread into the constructor's options. */
export function queryLimitOptions<TContext extends BaseContext>(limits: RequestLimits) {
  return {
    maxRecursiveSelections: limits.maxSelections,
    validationRules: [depthLimitRule(limits.maxDepth), aliasLimitRule(limits.maxAliases), directiveLimitRule(limits.maxDirectives)],
  } satisfies Partial<ApolloServerOptions<TContext>>;
}
