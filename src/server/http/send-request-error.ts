/**
 * Answers an HTTP request that is refused before it reaches Apollo (bad body, too many tokens,
 * untrusted document) in the same shape Apollo answers: `{ errors: [{ message, extensions }] }`,
 * as `application/graphql-response+json` when the client prefers it, else `application/json`,
 * with the status the GraphQL-over-HTTP spec gives that media type (request-error-status.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GatewayError } from "../../errors.js";
import { requestErrorStatus } from "./request-error-status.js";
import { responseMediaType } from "./response-media-type.js";

/** Sends `error` with `status` (default: the status that goes with its code and the media type). */
export function sendRequestError(req: IncomingMessage, res: ServerResponse, error: GatewayError, status?: number): void {
  const { http, ...extensions } = error.extensions as { http?: { status?: number } } & Record<string, unknown>;
  const type = responseMediaType(req.headers.accept);
  const body = JSON.stringify({ errors: [{ message: error.message, extensions }] });
  res.statusCode = status ?? requestErrorStatus(http?.status ?? 400, [error.code], type);
  res.setHeader("content-type", `${type}; charset=utf-8`);
  res.setHeader("content-length", Buffer.byteLength(body));
  res.end(body);
}
