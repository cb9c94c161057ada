/**
 * The gateway's transaction cursor: where the bank's page began (the bank's own continuation
 * token), how many of that page's rows were already returned, and the pending IDs already
 * superseded by posted rows we returned — so a pending row on the next page that a posted row on
 * this page replaced is not shown twice.
 *
 * Opaque (base64url JSON) and signed (HMAC-SHA256 with a key derived from TOKEN_ENCRYPTION_KEY,
 * so every gateway instance accepts every other's cursors). The signature also covers the query
 * the cursor belongs to (link, account, date range). Why sign: the bank token inside is passed to
 * the bank as is, so an unsigned cursor would let a client send the bank arbitrary tokens — and a
 * bank's 400 would count against its health for every user. A cursor we did not issue, or one
 * from another query, is BAD_USER_INPUT before any bank is called.
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { badInput } from "../errors.js";

export interface TransactionCursor {
  /** The bank's continuation token for the page this position is in; null = first page. */
  upstream: string | null;
  /** Rows of that bank page already returned. */
  skip: number;
  /** Pending IDs superseded by posted rows already returned, with the posted row's date. */
  superseded: Array<[pendingId: string, postedDate: string]>;
}

/** Encodes and checks cursors of one query (one account, one date range). */
export interface ScopedCursorCodec {
  encode(cursor: TransactionCursor): string;
  /** The cursor, or BAD_USER_INPUT for anything not issued by a gateway for this same query. */
  decode(text: string): TransactionCursor;
}

export interface TransactionCursorCodec {
  /** The codec for one query; `scope` names it (e.g. link, account and date range). */
  scoped(scope: readonly (string | null)[]): ScopedCursorCodec;
}

const schema = z.object({
  u: z.string().max(2048).nullable(),
  s: z.number().int().min(0).max(10_000),
  h: z.array(z.tuple([z.string().max(256), z.string().max(10)])).max(500),
});

const KEY_INFO = "bankgraph transaction cursor v1";
/** 128-bit tags: forgery stays infeasible and cursors stay short. */
const TAG_BYTES = 16;
const MAX_CURSOR_LENGTH = 64 * 1024;

/** A codec whose key is derived (HKDF-SHA256) from `secret`; instances sharing the secret share cursors. */
export function createTransactionCursorCodec(secret: string): TransactionCursorCodec {
  const key = Buffer.from(hkdfSync("sha256", secret, "", KEY_INFO, 32));
  const tag = (scope: string, payload: string) => createHmac("sha256", key).update(scope).update("\n").update(payload).digest().subarray(0, TAG_BYTES);

  return {
    scoped(parts) {
      const scope = JSON.stringify(parts);
      return {
        encode(cursor) {
          const payload = Buffer.from(JSON.stringify({ u: cursor.upstream, s: cursor.skip, h: cursor.superseded })).toString("base64url");
          return `${payload}.${tag(scope, payload).toString("base64url")}`;
        },
        decode(text) {
          const dot = text.indexOf(".");
          if (text.length > MAX_CURSOR_LENGTH || dot < 1) throw notOurs();
          const payload = text.slice(0, dot);
          const given = Buffer.from(text.slice(dot + 1), "base64url");
          if (given.length !== TAG_BYTES || !timingSafeEqual(given, tag(scope, payload))) throw notOurs();
          try {
            const parsed = schema.parse(JSON.parse(Buffer.from(payload, "base64url").toString("utf8")));
            return { upstream: parsed.u, skip: parsed.s, superseded: parsed.h };
          } catch {
            throw notOurs();
          }
        },
      };
    },
  };
}

const notOurs = () => badInput("`after` is not a cursor this API issued for this account and date range");
