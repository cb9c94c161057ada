/**
 * The gateway's transaction cursor: where the bank's page began (the bank's own continuation
 * token), how many of that page's rows were already returned, and the pending IDs already
 * superseded by posted rows we returned — so a pending row on the next page that a posted row on
 * this page replaced is not shown twice. Opaque (base64url JSON) and validated on the way in.
 */
import { z } from "zod";
import { badInput } from "../../errors.js";

export interface TransactionCursor {
  /** The bank's continuation token for the page this position is in; null = first page. */
  upstream: string | null;
  /** Rows of that bank page already returned. */
  skip: number;
  /** Pending IDs superseded by posted rows already returned, with the posted row's date. */
  superseded: Array<[pendingId: string, postedDate: string]>;
}

const schema = z.object({
  u: z.string().max(2048).nullable(),
  s: z.number().int().min(0).max(10_000),
  h: z.array(z.tuple([z.string().max(256), z.string().max(10)])).max(500),
});

export function encodeTransactionCursor(cursor: TransactionCursor): string {
  return Buffer.from(JSON.stringify({ u: cursor.upstream, s: cursor.skip, h: cursor.superseded })).toString("base64url");
}

export function decodeTransactionCursor(text: string): TransactionCursor {
  try {
    const parsed = schema.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return { upstream: parsed.u, skip: parsed.s, superseded: parsed.h };
  } catch {
    throw badInput("`after` is not a cursor this API issued");
  }
}
