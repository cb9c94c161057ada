/**
 * Validation rule: refuses a document with more than `maxDirectives` directive uses
 * (`@include`, `@skip`, …) anywhere in it — directive overuse makes every other check slower.
 */
import type { ValidationRule } from "graphql";
import { queryLimitError } from "../query-limit-error.js";

/** The rule; `maxDirectives` is MAX_QUERY_DIRECTIVES (default 50). */
export function directiveLimitRule(maxDirectives: number): ValidationRule {
  return (context) => {
    let directives = 0;
    return {
      Directive() {
        directives += 1;
      },
      Document: {
        leave() {
          if (directives > maxDirectives) context.reportError(queryLimitError("DIRECTIVES", maxDirectives, directives));
        },
      },
    };
  };
}
