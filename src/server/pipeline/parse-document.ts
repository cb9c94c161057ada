/**
 * Step 2 — parse, with the token limit: query text with more than `maxTokens` lexical tokens is
 * refused before it is parsed, so a huge document costs one bounded scan, not a parse and a
 * validation. Counting uses graphql's own lexer and stops at the bound.
 *
 * Over HTTP Apollo Server parses (and caches the parsed document), so the HTTP adapter calls only
 * {@link assertTokenLimit} before Apollo; WebSocket calls {@link parseDocument}, which is both.
 */
import { GraphQLError, Lexer, parse, Source, TokenKind, type DocumentNode } from "graphql";
import { queryLimitError } from "./query-limit-error.js";

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

/** Throws QUERY_TOO_COMPLEX (limit TOKENS) when `query` has more than `maxTokens` tokens; `maxTokens` is MAX_QUERY_TOKENS (default 2000). */
export function assertTokenLimit(query: string, maxTokens: number): void {
  if (countTokens(query, maxTokens) > maxTokens) throw queryLimitError("TOKENS", maxTokens);
}

/** The parsed document; throws QUERY_TOO_COMPLEX (tokens) or GRAPHQL_PARSE_FAILED (syntax, with its location). */
export function parseDocument(query: string, maxTokens: number): DocumentNode {
  assertTokenLimit(query, maxTokens);
  try {
    return parse(query, { maxTokens });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    throw new GraphQLError(error.message, { source: error.source, positions: error.positions, extensions: { code: "GRAPHQL_PARSE_FAILED" } });
  }
}
