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

/** Largest value of the identity columns cursors point into (PostgreSQL `bigint`). */
const MAX_ROW_ID = 2n ** 63n - 1n;
/** Longest cursor text we ever issue (kind, colon and 19 digits, base64url); longer is refused unread. */
const MAX_CURSOR_LENGTH = 128;

/**
 * Reads a cursor of `kind`; throws BAD_USER_INPUT when it is not one we could have issued: not
 * canonical base64url, another list's kind, or an id outside the column's range (which the store
 * would answer with an overflow error, not a page).
 */
export function decodeCursor(kind: string, cursor: string): bigint {
  if (cursor.length > MAX_CURSOR_LENGTH) throw badInput("Invalid cursor");
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^([a-z_]+):([1-9]\d{0,18})$/.exec(text);
  if (!match || match[1] !== kind || Buffer.from(text).toString("base64url") !== cursor) throw badInput("Invalid cursor");
  const id = BigInt(match[2]!);
  if (id > MAX_ROW_ID) throw badInput("Invalid cursor");
  return id;
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
export function toPage<Row extends { id: number | bigint }, T>(kind: string, rows: Row[], limit: number, map: (row: Row) => T): Page<T> {
  const hasNextPage = rows.length > limit;
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { items: kept.map(map), hasNextPage, endCursor: last ? encodeCursor(kind, last.id) : null };
}
