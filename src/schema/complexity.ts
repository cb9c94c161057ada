/**
 * Cost estimates for list fields, read by the query cost limit (MAX_QUERY_COST, see
 * src/server/pipeline/cost-limit.ts) through type-graphql's `complexity` field option. Every
 * other field costs 1 plus its selection; a list costs its items' selection times how many items
 * it can hold, so nesting pages multiplies — which is the point.
 */
import type { ComplexityEstimator } from "graphql-query-complexity";

/**
 * Lists whose length the client does not choose (a user's links, their accounts): assumed to
 * hold this many items. Generous on purpose: a user has one link per institution and a few
 * accounts at each.
 */
export const ASSUMED_LIST_SIZE = 10;

/** A page of `first` items (`defaultFirst` when the argument is left out). */
export function pageComplexity(defaultFirst: number): ComplexityEstimator {
  return ({ args, childComplexity }) => 1 + (typeof args["first"] === "number" ? args["first"] : defaultFirst) * childComplexity;
}

/** A list of {@link ASSUMED_LIST_SIZE} items. */
export const listComplexity: ComplexityEstimator = ({ childComplexity }) => 1 + ASSUMED_LIST_SIZE * childComplexity;
