/**
 * The HTTP status of a GraphQL request error (nothing executed), by the GraphQL-over-HTTP spec
 * (https://graphql.github.io/graphql-over-http/draft/#sec-Status-Codes):
 * - `application/json`: a well-formed GraphQL-over-HTTP request is answered 200 whatever its
 *   GraphQL errors — a document that does not parse, does not validate (query limits included),
 *   is not a trusted document, or whose variables do not coerce;
 * - `application/graphql-response+json`: such a response has no `data`, so 4xx (400).
 * A request that is not well-formed GraphQL-over-HTTP (bad JSON body, wrong method or content
 * type, too large: BAD_REQUEST), authentication (401), rate limits (429) and failures (5xx) keep
 * their status under both media types.
 */
import { ErrorCode } from "../../errors.js";
import { APPLICATION_JSON, type ResponseMediaType } from "./response-media-type.js";

/** Codes of errors about the GraphQL document or its variables, raised before anything runs. */
const DOCUMENT_ERROR_CODES: ReadonlySet<string> = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "OPERATION_RESOLUTION_FAILURE",
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.QUERY_TOO_COMPLEX,
  ErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ErrorCode.TRUSTED_DOCUMENT_REQUIRED,
]);

/**
 * The status to send for a request error with these `codes`, given the status it was raised
 * with (`status`) and the response's media type.
 */
export function requestErrorStatus(status: number, codes: readonly unknown[], mediaType: ResponseMediaType): number {
  if (mediaType !== APPLICATION_JSON || status !== 400 || codes.length === 0) return status;
  return codes.every((code) => typeof code === "string" && DOCUMENT_ERROR_CODES.has(code)) ? 200 : status;
}
