/**
 * `LocalDate` (`YYYY-MM-DD`): graphql-scalars' scalar, with the dates it has passed remembered.
 *
 * Its check (a regular expression, a `Date` and an ISO string per value) ran for every
 * transaction's `date` of every answer — 1–1.5% of a warm dashboard's CPU — on the few thousand
 * distinct dates a gateway ever serves. A date that passed once passes again, so a remembered one
 * is answered as it is; anything else still goes through graphql-scalars' own check, which also
 * parses every client input. Name, description and extensions are graphql-scalars', so
 * schema.graphql does not change.
 */
import { GraphQLScalarType } from "graphql";
import { GraphQLLocalDate as CheckedLocalDate } from "graphql-scalars";

/** Dates remembered; the memory starts over when full. */
const MAX_REMEMBERED = 10_000;
const passed = new Set<string>();

export const GraphQLLocalDate = new GraphQLScalarType<string, string>({
  ...CheckedLocalDate.toConfig(),
  serialize(value) {
    if (typeof value === "string" && passed.has(value)) return value;
    const checked = CheckedLocalDate.serialize(value);
    if (passed.size >= MAX_REMEMBERED) passed.clear();
    passed.add(checked);
    return checked;
  },
});
