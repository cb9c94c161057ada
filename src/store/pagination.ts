/**
 * Keyset pagination over identity ids, with opaque cursors. Keyset (WHERE id < cursor) instead of
 * OFFSET: a page costs the same on the millionth row, and rows appended meanwhile never shift it.
 */
import { badInput } from "../errors.js";

/** Page request: `first` items after the `after` cursor (from a previous page's `endCursor`). */
export interface PageArgs {
  /** 1 to {@link MAX_PAGE_SIZE}. */
  first: number;
  after?: string | null;
}

/** One page of a list. `endCursor` is null only for an empty page. */
export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Largest page a caller may ask for. */
export const MAX_PAGE_SIZE = 100;

/**
 * Cursor text is `base64url("<kind>:<id>")`: opaque to clients, and a cursor from one list
 * (kind) is refused by another instead of silently paging the wrong thing.
 */
export function encodeCursor(kind: string, id: number | bigint): string {
  return Buffer.from(`${kind}:${id}`).toString("base64url");
}

/** Reads a cursor of `kind`; throws BAD_USER_INPUT when it is not one. */
export function decodeCursor(kind: string, cursor: string): bigint {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^([a-z_]+):(\d{1,19})$/.exec(text);
  if (!match || match[1] !== kind) throw badInput("Invalid cursor");
  return BigInt(match[2]!);
}

/** Checks `first` and decodes `after`. */
export function readPageArgs(kind: string, args: PageArgs): { limit: number; after: bigint | null } {
  const { first, after } = args;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return { limit: first, after: after ? decodeCursor(kind, after) : null };
}

/**
 * Builds a page from rows fetched with `LIMIT limit + 1`: the extra row only tells whether
 * there is a next page.
 */
export function toPage<Row extends { id: number | bigint }, T>(
  kind: string,
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
): Page<T> {
  const hasNextPage = rows.length > limit;
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { items: kept.map(map), hasNextPage, endCursor: last ? encodeCursor(kind, last.id) : null };
}
