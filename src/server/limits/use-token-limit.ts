/**
 * Refuses query text with more than `maxTokens` lexical tokens before it is parsed, so a huge
 * document costs one bounded scan, not a parse and a validation. Counting uses graphql's own
 * lexer and stops at the bound. Runs before Apollo, on POST bodies and GET query strings.
 */
import type { RequestHandler } from "express";
import { GraphQLError, Lexer, Source, TokenKind } from "graphql";
import { queryLimitError } from "./query-limit-error.js";
import { sendRequestError } from "./send-request-error.js";

/** Tokens in `query`, counting at most `max + 1`; a lexing error ends the count (the parser reports it). */
export function countTokens(query: string, max: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
  }
  return count;
}

/** The query text of a GraphQL-over-HTTP request, wherever the method puts it. */
export function queryTextOf(req: Parameters<RequestHandler>[0]): unknown {
  if (req.method === "GET") return new URLSearchParams(req.url.split("?")[1] ?? "").get("query") ?? undefined;
  return (req.body as { query?: unknown } | undefined)?.query;
}

/** The middleware; `maxTokens` is MAX_QUERY_TOKENS (default 2000). */
export function tokenLimit(maxTokens: number): RequestHandler {
  return (req, res, next) => {
    const query = queryTextOf(req);
    if (typeof query === "string" && countTokens(query, maxTokens) > maxTokens) {
      return sendRequestError(req, res, queryLimitError("TOKENS", maxTokens));
    }
    next();
  };
}
