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
import { BoundedMap } from "../../bounded-map.js";

/** Dates remembered, at most this many (the one remembered longest ago goes first). */
const passed = new BoundedMap<string, true>(10_000);

export const GraphQLLocalDate = new GraphQLScalarType<string, string>({
  ...CheckedLocalDate.toConfig(),
  serialize(value) {
    if (typeof value === "string" && passed.has(value)) return value;
    const checked = CheckedLocalDate.serialize(value);
    passed.set(checked, true);
    return checked;
  },
});
