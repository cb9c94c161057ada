/**
 * Validation rule: refuses an operation that, with every fragment spread expanded, holds more than
 * `maxSelections` selections (fragment bombs: a short text whose nested spreads multiply). Each
 * fragment is counted once and its expanded size memoized, so a bomb costs linear time to measure.
 * The same counting as Apollo Server's `maxRecursiveSelections`, which is HTTP-only; this rule is
 * ours so every transport runs it (and it raises our own QUERY_TOO_COMPLEX, not Apollo's code).
 */
import type { ValidationRule } from "graphql";
import { queryLimitError } from "../query-limit-error.js";

/** Selections written directly in one definition, and how often it spreads each fragment. */
interface DefinitionCount {
  selections: number;
  spreads: Map<string, number>;
}

/** The rule; `maxSelections` is MAX_QUERY_SELECTIONS (default 2000). */
export function selectionLimitRule(maxSelections: number): ValidationRule {
  return (context) => {
    const fragments = new Map<string, DefinitionCount>();
    const operations: DefinitionCount[] = [];
    let current: DefinitionCount | undefined;
    const count = (spread?: string) => {
      if (!current) return;
      current.selections += 1;
      if (spread !== undefined) current.spreads.set(spread, (current.spreads.get(spread) ?? 0) + 1);
    };

    const expanded = new Map<string, number>();
    const expandedSize = (name: string): number => {
      const known = expanded.get(name);
      if (known !== undefined) return known;
      // A cycle is another rule's error (NoFragmentCycles): measure it as empty here.
      expanded.set(name, 0);
      const definition = fragments.get(name);
      const size = definition ? sizeOf(definition) : 0;
      expanded.set(name, size);
      return size;
    };
    const sizeOf = (definition: DefinitionCount): number => {
      let size = definition.selections;
      for (const [fragment, times] of definition.spreads) size += times * expandedSize(fragment);
      return size;
    };

    return {
      Field: () => count(),
      InlineFragment: () => count(),
      FragmentSpread: (node) => count(node.name.value),
      FragmentDefinition: {
        enter(node) {
          current = { selections: 0, spreads: new Map() };
          fragments.set(node.name.value, current);
        },
        leave() {
          current = undefined;
        },
      },
      OperationDefinition: {
        enter() {
          current = { selections: 0, spreads: new Map() };
          operations.push(current);
        },
        leave() {
          current = undefined;
        },
      },
      Document: {
        leave() {
          // Counting stops at no bound here, but a bomb's total can overflow any useful number: no `actual`.
          if (operations.some((operation) => sizeOf(operation) > maxSelections)) {
            context.reportError(queryLimitError("SELECTIONS", maxSelections));
          }
        },
      },
    };
  };
}
