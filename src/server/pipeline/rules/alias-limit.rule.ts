/**
 * Validation rule: refuses a document with more than `maxAliases` aliased fields (alias bombs:
 * the same expensive field asked for under many names). Counted over the whole document text,
 * fragments once each; fragment expansion is bounded separately (MAX_QUERY_SELECTIONS).
 */
import type { ValidationRule } from "graphql";
import { queryLimitError } from "../query-limit-error.js";

/** The rule; `maxAliases` is MAX_QUERY_ALIASES (default 15). */
export function aliasLimitRule(maxAliases: number): ValidationRule {
  return (context) => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases += 1;
      },
      Document: {
        leave() {
          if (aliases > maxAliases) context.reportError(queryLimitError("ALIASES", maxAliases, aliases));
        },
      },
    };
  };
}
