/**
 * Validation rule: refuses an operation whose fields nest deeper than `maxDepth`.
 * `{ accounts { balance { current { amount } } } }` is depth 4. Fragments count where they are
 * spread (each fragment is measured once); introspection (`__schema`, `__type`) is not counted:
 * it reads static schema data and is off in production.
 */
import { Kind, type FragmentDefinitionNode, type SelectionSetNode, type ValidationRule } from "graphql";
import { queryLimitError } from "../query-limit-error.js";

const INTROSPECTION_ROOTS = new Set(["__schema", "__type"]);

/** The rule; `maxDepth` is MAX_QUERY_DEPTH (default 12). */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const fragmentDepths = new Map<string, number>();

    const depthOf = (selectionSet: SelectionSetNode, spreading: Set<string>): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          if (INTROSPECTION_ROOTS.has(selection.name.value)) continue;
          deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet, spreading) : 0));
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          deepest = Math.max(deepest, depthOf(selection.selectionSet, spreading));
        } else {
          deepest = Math.max(deepest, fragmentDepth(selection.name.value, spreading));
        }
      }
      return deepest;
    };

    const fragmentDepth = (name: string, spreading: Set<string>): number => {
      const known = fragmentDepths.get(name);
      if (known !== undefined) return known;
      const fragment = fragments.get(name);
      // Unknown fragments and cycles are other rules' errors; measure them as flat here.
      if (!fragment || spreading.has(name)) return 0;
      spreading.add(name);
      const depth = depthOf(fragment.selectionSet, spreading);
      spreading.delete(name);
      fragmentDepths.set(name, depth);
      return depth;
    };

    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, new Set());
        if (depth > maxDepth) context.reportError(queryLimitError("DEPTH", maxDepth, depth));
        return false;
      },
    };
  };
}
