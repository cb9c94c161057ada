/**
 * Which of the two GraphQL-over-HTTP media types a response goes out as, negotiated from the
 * request's Accept header as Apollo Server negotiates it (both use the `negotiator` package):
 * application/json unless the client prefers application/graphql-response+json. The status of a
 * request error depends on it (request-error-status.ts).
 */
import express, { type Request } from "express";

export const APPLICATION_JSON = "application/json";
export const GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";

/** One of the two media types. */
export type ResponseMediaType = typeof APPLICATION_JSON | typeof GRAPHQL_RESPONSE_JSON;

/** The media type a request with this Accept header is answered in. */
export function responseMediaType(accept: string | undefined): ResponseMediaType {
  // Apollo's plugins see the Accept header, not the express request: express's own `accepts`
  // is borrowed through its request prototype, on a request that has only that header.
  const probe = Object.create(express.request, { headers: { value: accept === undefined ? {} : { accept } } }) as Request;
  return probe.accepts([APPLICATION_JSON, GRAPHQL_RESPONSE_JSON]) === GRAPHQL_RESPONSE_JSON ? GRAPHQL_RESPONSE_JSON : APPLICATION_JSON;
}
