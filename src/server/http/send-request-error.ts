/**
 * Answers an HTTP request that is refused before it reaches Apollo (bad body, too many tokens,
 * untrusted document) in the same shape Apollo answers: `{ errors: [{ message, extensions }] }`,
 * as `application/graphql-response+json` when the client prefers it, else `application/json`.
 */
import type { Request, Response } from "express";
import type { GatewayError } from "../../errors.js";

const GRAPHQL_RESPONSE = "application/graphql-response+json";

/** Sends `error` with `status` (default: the status that goes with its code). */
export function sendRequestError(req: Request, res: Response, error: GatewayError, status?: number): void {
  const { http, ...extensions } = error.extensions as { http?: { status?: number } } & Record<string, unknown>;
  const type = req.accepts(["application/json", GRAPHQL_RESPONSE]) === GRAPHQL_RESPONSE ? GRAPHQL_RESPONSE : "application/json";
  res
    .status(status ?? http?.status ?? 400)
    .type(`${type}; charset=utf-8`)
    .send(JSON.stringify({ errors: [{ message: error.message, extensions }] }));
}
