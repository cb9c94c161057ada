/**
 * The one place errors are shaped for clients: bank failures become their typed codes with the
 * institution, our own errors pass, GraphQL's request errors pass, anything else is masked.
 */
import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import { ConsentDeniedError } from "../consent/requires-scopes.js";
import { ErrorCode, GatewayError } from "../errors.js";
import { ProviderError } from "../providers/provider-error.js";
import { encodeGlobalId } from "../schema/global-id.js";
import { queryLimitFromValidation } from "./pipeline/query-limit-error.js";

const PASS_THROUGH = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/** The formatter; `log` is told about every error that is masked. */
export function createErrorFormatter(log: (error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // A query limit found during validation keeps its own code (QUERY_TOO_COMPLEX), not Apollo's generic one.
    const limit = queryLimitFromValidation(error);
    if (limit) return limit;
    const original = unwrapResolverError(error);
    if (original instanceof ProviderError) {
      const client = original.toGatewayError();
      return { message: client.message, locations: formatted.locations, path: formatted.path, extensions: withoutHttp(client.extensions) };
    }
    if (original instanceof ConsentDeniedError) {
      // The deciding consent, as the app knows it (Consent.id), so it can ask for the wider one in one call.
      const consentId = original.decidedBy ? encodeGlobalId("Consent", original.decidedBy.linkId, original.decidedBy.id) : null;
      return { ...formatted, extensions: { ...withoutHttp(formatted.extensions), consentId } };
    }
    if (original instanceof GatewayError) {
      return { ...formatted, extensions: withoutHttp(formatted.extensions) };
    }
    const code = formatted.extensions?.["code"];
    if (typeof code === "string" && PASS_THROUGH.has(code)) return { ...formatted, extensions: withoutHttp(formatted.extensions) };
    log(original);
    return { message: "Internal server error", locations: formatted.locations, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  };
}

function withoutHttp(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  const { http: _http, stacktrace: _stack, ...rest } = extensions ?? {};
  return rest;
}
