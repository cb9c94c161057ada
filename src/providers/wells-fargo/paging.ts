/**
 * How the Wells Fargo adapter pages. Its cursor is the bank's own `_links.next.href`; to continue,
 * the adapter takes only the `page_token` out of it and sends it in a batched search body, so many
 * accounts' next pages are one call and a tampered cursor can never make the gateway fetch an
 * arbitrary path with the user's token.
 */
import { badInput } from "../../errors.js";
import type { TransactionPageRequest } from "../contract.js";

/** The body of one `POST /v2/transactions/search`. */
export interface SearchBody {
  account_ids?: string[];
  start_date?: string;
  end_date?: string;
  page_size: number;
  page_tokens?: string[];
}

/** The `page_token` in a next-page href; BAD_USER_INPUT for a cursor this adapter did not issue. */
export function pageTokenOf(cursor: string): string {
  let token: string | null = null;
  try {
    token = new URL(cursor, "https://wells-fargo.invalid").searchParams.get("page_token");
  } catch {
    // not a URL: reported below like any foreign cursor
  }
  if (!token) throw badInput("Invalid transaction cursor");
  return token;
}

interface PlannedCall {
  body: SearchBody;
  /** The date range of its first pages; unset until a first page joins (continuations carry theirs in the token). */
  range?: { from?: string; to?: string };
}

/**
 * Packs requests into search bodies: one per page size (and per date range among first pages).
 * A body's `page_size` applies to its tokens too, which is how a request's `limit` is honoured
 * on continuation pages.
 */
export function planSearches(requests: readonly TransactionPageRequest[]): { bodies: SearchBody[]; callOf: number[]; tokens: Array<string | null> } {
  const calls: PlannedCall[] = [];
  const tokens = requests.map((r) => (r.cursor ? pageTokenOf(r.cursor) : null));
  const callOf = requests.map((request, i) => {
    const token = tokens[i] ?? null;
    const fits = (c: PlannedCall) =>
      c.body.page_size === request.limit && (token !== null || !c.range || (c.range.from === request.from && c.range.to === request.to));
    let index = calls.findIndex(fits);
    if (index < 0) index = calls.push({ body: { page_size: request.limit } }) - 1;
    const call = calls[index]!;
    if (token !== null) {
      call.body.page_tokens = [...new Set([...(call.body.page_tokens ?? []), token])];
    } else {
      call.range = { from: request.from, to: request.to };
      call.body.start_date = request.from;
      call.body.end_date = request.to;
      call.body.account_ids = [...new Set([...(call.body.account_ids ?? []), request.accountId])];
    }
    return index;
  });
  return { bodies: calls.map((c) => c.body), callOf, tokens };
}
