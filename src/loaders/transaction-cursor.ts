/**
 * The gateway's transaction cursor: a small, fixed-bound position in one account's listing.
 *
 * What it holds (see `TransactionCursor`), and why it stays under 1 KB however deep the walk:
 * - where reading resumes: the bank's own token when the bank pages by stable keyset positions
 *   (Wells Fargo, Citi, Amex), or a row index hint when it pages by index (Chase offsets, PayPal
 *   and U.S. Bank page numbers), re-anchored on the rows on every read;
 * - the boundary: the key of the last row delivered and the rows sharing that key, as 48-bit
 *   hashes, capped (`MAX_BOUNDARY_IDS`);
 * - dedupe state: hashes of the pending IDs that delivered posted rows replaced and whose pending
 *   rows may still lie ahead, each with the posted day so it expires; capped (`MAX_SUPERSEDED`);
 * - at banks that drop a pending row when it posts, what finds postings filed above the walk whose
 *   pending rows it never listed (`read-transaction-page.ts`): the authorization time of the last
 *   pending row delivered (with the rows sharing it, capped by `MAX_FLOOR_IDS`), the newest posted
 *   row seen at the top, and the postings found there still owed to the client (`MAX_OWED`).
 * Nothing accumulates with depth: the walk forgets what it passed. The alternative, state kept
 * server-side behind an opaque id, would cost a store round trip per page and a TTL after which a
 * client's cursor dies; a self-contained cursor of bounded size needs neither.
 *
 * Packed in binary, base64url, and signed (HMAC-SHA256 with a key derived from
 * TOKEN_ENCRYPTION_KEY, so every gateway instance accepts every other's cursors). The signature
 * covers the query the cursor belongs to (link, account, date range). Why sign: the bank token
 * inside is passed to the bank as is, so an unsigned cursor would let a client send the bank
 * arbitrary tokens — and a bank's 400 would count against its health for every user. A cursor we
 * did not issue, or one from another query, is BAD_USER_INPUT before any bank is called.
 */
import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { BoundedMap } from "../bounded-map.js";
import { badInput } from "../errors.js";

/** A 48-bit hash of a bank row ID, base64url (8 characters): what cursors remember rows by. */
export type RowHash = string;

export interface TransactionCursor {
  /** Keyset banks: the bank's continuation token of the bank page reading resumes in; null = the first page. */
  upstream: string | null;
  /** Index banks: the listing index reading resumes at (a hint, re-anchored on `boundary`); null for keyset banks. */
  offset: number | null;
  /** Keyset banks: rows of the bank page at `upstream` already delivered (used when the boundary row is gone). */
  skip: number;
  /**
   * The last row delivered: its listing key (epoch ms; index banks) and the hashes of the delivered
   * rows that share it (or, at keyset banks, of the last row only). Null before the first row.
   */
  boundary: { key: number; ids: RowHash[] } | null;
  /** Pending IDs replaced by posted rows already delivered, with the posted day (days since 1970-01-01). */
  superseded: Array<[pending: RowHash, postedDay: number]>;
  /**
   * The last pending row delivered: its authorization time (epoch ms) and the hashes of the
   * delivered pending rows authorized at that time. Null before the first; a pending row at or
   * above it was delivered or arrived after the walk began.
   */
  pendingFloor: { key: number; ids: RowHash[] } | null;
  /** The newest posted row at the top of the listing when the walk last looked there (filing time, hash); null when there was none. */
  topMark: { key: number; id: RowHash } | null;
  /** Postings found at the top that the walk must still list (their pending rows were never listed); oldest first. */
  owed: RowHash[];
  /** Set on a cursor issued before walks looked at the top (version 2): the next page only notes the top. */
  topUnseen?: true;
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

/** The longest cursor ever issued; `encode` drops the oldest dedupe entries rather than exceed it. */
export const MAX_CURSOR_LENGTH = 1024;
export const MAX_BOUNDARY_IDS = 16;
export const MAX_SUPERSEDED = 40;
export const MAX_FLOOR_IDS = 8;
export const MAX_OWED = 16;
const MAX_UPSTREAM_BYTES = 512;

const KEY_INFO = "bankgraph transaction cursor v2";
/** Version 3 added the pending floor, the top mark and owed postings; a version 2 cursor reads as having none. */
const VERSION = 3;
const VERSION_WITHOUT_LATE_POSTINGS = 2;
/** 128-bit tags: forgery stays infeasible and cursors stay short. */
const TAG_BYTES = 16;
const HASH_BYTES = 6;

const HAS_UPSTREAM = 1;
const HAS_OFFSET = 2;
const HAS_BOUNDARY = 4;
const HAS_FLOOR = 8;
const HAS_TOP_MARK = 16;
const ALL_FLAGS = HAS_UPSTREAM | HAS_OFFSET | HAS_BOUNDARY | HAS_FLOOR | HAS_TOP_MARK;

/**
 * Row hashes and cursor signatures computed before: a warm page hashes the same rows and signs the
 * same `endCursor` on every request (a SHA-256 per row, an HMAC per page). Both are pure functions
 * of their input, so remembering them changes nothing but the CPU; past the bound the one remembered
 * longest ago goes.
 */
const MAX_REMEMBERED = 20_000;
const rowHashes = new BoundedMap<string, RowHash>(MAX_REMEMBERED);

function remember<V>(memory: BoundedMap<string, V>, key: string, value: V): V {
  memory.set(key, value);
  return value;
}

/** The hash a cursor remembers a row ID by (collisions among the handful compared: ~n/2^48). */
export function rowHash(id: string): RowHash {
  return rowHashes.get(id) ?? remember(rowHashes, id, createHash("sha256").update(id).digest().subarray(0, HASH_BYTES).toString("base64url"));
}

/** A codec whose key is derived (HKDF-SHA256) from `secret`; instances sharing the secret share cursors. */
export function createTransactionCursorCodec(secret: string): TransactionCursorCodec {
  const key = Buffer.from(hkdfSync("sha256", secret, "", KEY_INFO, 32));
  const tag = (scope: string, payload: string) => createHmac("sha256", key).update(scope).update("\n").update(payload).digest().subarray(0, TAG_BYTES);
  /** Signatures of cursors this gateway issued (only issued ones: what clients send is checked afresh). */
  const issued = new BoundedMap<string, string>(MAX_REMEMBERED);
  const issuedTag = (scope: string, payload: string) => {
    const memo = `${scope}\n${payload}`;
    return issued.get(memo) ?? remember(issued, memo, tag(scope, payload).toString("base64url"));
  };

  return {
    scoped(parts) {
      const scope = JSON.stringify(parts);
      const sign = (cursor: TransactionCursor) => {
        const payload = pack(cursor).toString("base64url");
        return `${payload}.${issuedTag(scope, payload)}`;
      };
      return {
        encode(cursor) {
          let text = sign(cursor);
          // Only a long bank token with full lists gets here: shed what costs least, one entry at a time.
          let shed: TransactionCursor = { ...cursor, superseded: [...cursor.superseded].sort((a, b) => a[1] - b[1]) };
          while (text.length > MAX_CURSOR_LENGTH) {
            const next = shedOne(shed);
            if (!next) throw new Error("transaction cursor over its size bound");
            shed = next;
            text = sign(shed);
          }
          return text;
        },
        decode(text) {
          const dot = text.indexOf(".");
          if (text.length > MAX_CURSOR_LENGTH || dot < 1) throw notOurs();
          const payload = text.slice(0, dot);
          const given = Buffer.from(text.slice(dot + 1), "base64url");
          if (given.length !== TAG_BYTES || !timingSafeEqual(given, tag(scope, payload))) throw notOurs();
          const cursor = unpack(Buffer.from(payload, "base64url"));
          if (!cursor) throw notOurs();
          return cursor;
        },
      };
    },
  };
}

/**
 * The cursor less one entry of what is cheapest to lose, or undefined when nothing is left to shed:
 * the dedupe entry closest to expiring; a pending-floor ID beyond the last (ties of one instant);
 * the newest owed posting (its pending row's absence is then not made up for).
 */
function shedOne(cursor: TransactionCursor): TransactionCursor | undefined {
  if (cursor.superseded.length > 0) return { ...cursor, superseded: cursor.superseded.slice(1) };
  const floor = cursor.pendingFloor;
  if (floor && floor.ids.length > 1) return { ...cursor, pendingFloor: { key: floor.key, ids: floor.ids.slice(1) } };
  if (cursor.owed.length > 0) return { ...cursor, owed: cursor.owed.slice(0, -1) };
  return undefined;
}

/**
 * version, flags, [upstream: u16 length + UTF-8], [offset: u32], skip: u16, [key: f64, n: u8, n × hash], m: u8, m × (hash, day: u16),
 * [floor key: f64, f: u8, f × hash], [top mark key: f64, hash], o: u8, o × hash.
 */
function pack(cursor: TransactionCursor): Buffer {
  const upstream = cursor.upstream === null ? null : Buffer.from(cursor.upstream, "utf8");
  if (upstream && upstream.length > MAX_UPSTREAM_BYTES) throw new Error("bank continuation token too long for a cursor");
  const ids = cursor.boundary?.ids.slice(-MAX_BOUNDARY_IDS) ?? [];
  const superseded = cursor.superseded.slice(-MAX_SUPERSEDED);
  const floorIds = cursor.pendingFloor?.ids.slice(-MAX_FLOOR_IDS) ?? [];
  const owed = cursor.owed.slice(0, MAX_OWED);
  const out = Buffer.alloc(
    2 +
      (upstream ? 2 + upstream.length : 0) +
      4 +
      2 +
      8 +
      1 +
      ids.length * HASH_BYTES +
      1 +
      superseded.length * (HASH_BYTES + 2) +
      (8 + 1 + floorIds.length * HASH_BYTES) +
      (8 + HASH_BYTES) +
      (1 + owed.length * HASH_BYTES),
  );
  let at = 0;
  const flags =
    (upstream ? HAS_UPSTREAM : 0) |
    (cursor.offset !== null ? HAS_OFFSET : 0) |
    (cursor.boundary ? HAS_BOUNDARY : 0) |
    (cursor.pendingFloor ? HAS_FLOOR : 0) |
    (cursor.topMark ? HAS_TOP_MARK : 0);
  at = out.writeUInt8(VERSION, at);
  at = out.writeUInt8(flags, at);
  if (upstream) {
    at = out.writeUInt16BE(upstream.length, at);
    at += upstream.copy(out, at);
  }
  if (cursor.offset !== null) at = out.writeUInt32BE(Math.min(cursor.offset, 0xffffffff), at);
  at = out.writeUInt16BE(Math.min(cursor.skip, 0xffff), at);
  if (cursor.boundary) {
    at = out.writeDoubleBE(cursor.boundary.key, at);
    at = out.writeUInt8(ids.length, at);
    for (const id of ids) at += Buffer.from(id, "base64url").copy(out, at);
  }
  at = out.writeUInt8(superseded.length, at);
  for (const [id, day] of superseded) {
    at += Buffer.from(id, "base64url").copy(out, at);
    at = out.writeUInt16BE(Math.max(0, Math.min(day, 0xffff)), at);
  }
  if (cursor.pendingFloor) {
    at = out.writeDoubleBE(cursor.pendingFloor.key, at);
    at = out.writeUInt8(floorIds.length, at);
    for (const id of floorIds) at += Buffer.from(id, "base64url").copy(out, at);
  }
  if (cursor.topMark) {
    at = out.writeDoubleBE(cursor.topMark.key, at);
    at += Buffer.from(cursor.topMark.id, "base64url").copy(out, at);
  }
  at = out.writeUInt8(owed.length, at);
  for (const id of owed) at += Buffer.from(id, "base64url").copy(out, at);
  return out.subarray(0, at);
}

/** The cursor in `bytes`, or undefined when they are not exactly a packed cursor. */
function unpack(bytes: Buffer): TransactionCursor | undefined {
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new RangeError("short cursor");
    const start = at;
    at += n;
    return start;
  };
  const hash = () => bytes.subarray(need(HASH_BYTES), at).toString("base64url");
  try {
    const version = bytes.readUInt8(need(1));
    if (version !== VERSION && version !== VERSION_WITHOUT_LATE_POSTINGS) return undefined;
    const flags = bytes.readUInt8(need(1));
    const known = version === VERSION ? ALL_FLAGS : HAS_UPSTREAM | HAS_OFFSET | HAS_BOUNDARY;
    if (flags & ~known) return undefined;
    let upstream: string | null = null;
    if (flags & HAS_UPSTREAM) {
      const length = bytes.readUInt16BE(need(2));
      if (length === 0 || length > MAX_UPSTREAM_BYTES) return undefined;
      upstream = bytes.subarray(need(length), at).toString("utf8");
    }
    const offset = flags & HAS_OFFSET ? bytes.readUInt32BE(need(4)) : null;
    const skip = bytes.readUInt16BE(need(2));
    let boundary: TransactionCursor["boundary"] = null;
    if (flags & HAS_BOUNDARY) {
      const key = bytes.readDoubleBE(need(8));
      const count = bytes.readUInt8(need(1));
      if (!Number.isFinite(key) || count > MAX_BOUNDARY_IDS) return undefined;
      boundary = { key, ids: Array.from({ length: count }, hash) };
    }
    const count = bytes.readUInt8(need(1));
    if (count > MAX_SUPERSEDED) return undefined;
    const superseded: TransactionCursor["superseded"] = Array.from({ length: count }, () => [hash(), bytes.readUInt16BE(need(2))]);
    let pendingFloor: TransactionCursor["pendingFloor"] = null;
    let topMark: TransactionCursor["topMark"] = null;
    let owed: RowHash[] = [];
    if (version === VERSION) {
      if (flags & HAS_FLOOR) {
        const key = bytes.readDoubleBE(need(8));
        const n = bytes.readUInt8(need(1));
        if (!Number.isFinite(key) || n > MAX_FLOOR_IDS) return undefined;
        pendingFloor = { key, ids: Array.from({ length: n }, hash) };
      }
      if (flags & HAS_TOP_MARK) {
        const key = bytes.readDoubleBE(need(8));
        if (!Number.isFinite(key)) return undefined;
        topMark = { key, id: hash() };
      }
      const n = bytes.readUInt8(need(1));
      if (n > MAX_OWED) return undefined;
      owed = Array.from({ length: n }, hash);
    }
    if (at !== bytes.length) return undefined;
    const cursor: TransactionCursor = { upstream, offset, skip, boundary, superseded, pendingFloor, topMark, owed };
    return version === VERSION ? cursor : { ...cursor, topUnseen: true };
  } catch {
    return undefined;
  }
}

const notOurs = () => badInput("`after` is not a cursor this API issued for this account and date range");
