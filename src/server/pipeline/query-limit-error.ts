/**
 * The one error every query limit raises: QUERY_TOO_COMPLEX (HTTP 400; 200 under application/json,
 * src/server/http/request-error-status.ts), with `extensions.limit`
 * naming which limit, `max` the configured bound and `actual` what the document asked for.
 */
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ErrorCode, GatewayError } from "../../errors.js";

/** Which bound a document broke. */
export type QueryLimitKind = "TOKENS" | "DEPTH" | "ALIASES" | "DIRECTIVES" | "SELECTIONS" | "COST";

const WHAT: Record<QueryLimitKind, string> = {
  TOKENS: "lexical tokens",
  DEPTH: "levels of nested fields",
  ALIASES: "aliased fields",
  DIRECTIVES: "directives",
  SELECTIONS: "selections with its fragments expanded",
  COST: "cost units (lists count once per item they can hold)",
};

/** A QUERY_TOO_COMPLEX error; `actual` is left out where counting stopped at the bound. */
export function queryLimitError(limit: QueryLimitKind, max: number, actual?: number): GatewayError {
  const measured = actual === undefined ? `more than ${max}` : String(actual);
  return new GatewayError(ErrorCode.QUERY_TOO_COMPLEX, `The query has ${measured} ${WHAT[limit]}; at most ${max} are allowed.`, {
    limit,
    max,
    ...(actual === undefined ? {} : { actual }),
  });
}

/**
 * Apollo re-codes every validation-rule error as GRAPHQL_VALIDATION_FAILED. For the format
 * step: gives back the limit's own error when a validation failure came from a query limit rule
 * (src/server/pipeline/rules/), else undefined.
 */
export function queryLimitFromValidation(error: unknown): GraphQLFormattedError | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  if (error.originalError instanceof GatewayError && error.originalError.code === ErrorCode.QUERY_TOO_COMPLEX) {
    return formatted(error.originalError, error);
  }
  return undefined;
}

function formatted(limitError: GatewayError, at: GraphQLError): GraphQLFormattedError {
  const { http: _http, ...extensions } = limitError.extensions;
  return { message: limitError.message, ...(at.locations ? { locations: at.locations } : {}), extensions };
}
