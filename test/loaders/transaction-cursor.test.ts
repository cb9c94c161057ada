/**
 * The transaction cursor's contract: what goes in comes out, signed and bound to its query, never
 * over 1 KB with every bounded list full, and a cursor issued before walks looked at the top of the
 * listing (version 2) still accepted.
 */
import { createHmac, hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createTransactionCursorCodec,
  MAX_BOUNDARY_IDS,
  MAX_CURSOR_LENGTH,
  MAX_FLOOR_IDS,
  MAX_OWED,
  MAX_SUPERSEDED,
  rowHash,
  type TransactionCursor,
} from "../../src/loaders/transaction-cursor.js";

const SECRET = "a test secret that is long enough for the codec";
const SCOPE = ["link-1", "account-1", null, null];
const codec = createTransactionCursorCodec(SECRET).scoped(SCOPE);
const hashes = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => rowHash(`${prefix}-${i}`));

/** A position at a bank paging by row index, every bounded list full. */
const indexed: TransactionCursor = {
  upstream: null,
  offset: 1234,
  skip: 0,
  boundary: { key: 1_780_000_000_000, ids: hashes(MAX_BOUNDARY_IDS, "b") },
  superseded: hashes(MAX_SUPERSEDED, "s").map((h, i) => [h, 20_000 + i]),
  pendingFloor: { key: 1_779_000_000_000, ids: hashes(MAX_FLOOR_IDS, "f") },
  topMark: { key: 1_781_000_000_000, id: rowHash("top") },
  owed: hashes(MAX_OWED, "o"),
};
/** A position inside a keyset bank's page: its token, and the last row delivered. */
const keyset: TransactionCursor = { ...indexed, upstream: "x".repeat(120), offset: null, skip: 7, boundary: { key: 0, ids: [rowHash("last")] } };

describe("transaction cursor", () => {
  it("gives back what it was given, the top-of-listing state included", () => {
    expect(codec.decode(codec.encode(indexed))).toEqual(indexed);
    expect(codec.decode(codec.encode(keyset))).toEqual(keyset);
    const start: TransactionCursor = { upstream: null, offset: null, skip: 0, boundary: null, superseded: [], pendingFloor: null, topMark: null, owed: [] };
    expect(codec.decode(codec.encode(start))).toEqual(start);
  });

  it("stays within 1 KB with every bounded list full, a bank token of the longest kept dropping only dedupe entries", () => {
    expect(codec.encode(indexed).length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    const longToken = { ...keyset, upstream: "y".repeat(512) };
    const text = codec.encode(longToken);
    expect(text.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    const back = codec.decode(text);
    expect({ ...back, superseded: [] }).toEqual({ ...longToken, superseded: [] });
    expect(back.superseded.length).toBeLessThan(MAX_SUPERSEDED);
  });

  it("refuses a cursor altered, or issued for another account or range", () => {
    const text = codec.encode(indexed);
    const other = createTransactionCursorCodec(SECRET).scoped(["link-1", "account-2", null, null]);
    expect(() => other.decode(text)).toThrow(/not a cursor this API issued/);
    const [payload, tag] = text.split(".");
    const bytes = Buffer.from(payload!, "base64url");
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    expect(() => codec.decode(`${bytes.toString("base64url")}.${tag}`)).toThrow(/not a cursor this API issued/);
  });

  it("accepts a cursor of version 2, which knew nothing of the top: its next page only notes the top", () => {
    // version 2, flags: offset + boundary, offset 40, skip 0, boundary key + 1 id, no superseded entries.
    const id = rowHash("row-40");
    const payload = Buffer.concat([
      Buffer.from([2, 2 | 4]),
      Buffer.from([0, 0, 0, 40]),
      Buffer.from([0, 0]),
      (() => {
        const key = Buffer.alloc(8);
        key.writeDoubleBE(1_780_000_000_000);
        return key;
      })(),
      Buffer.from([1]),
      Buffer.from(id, "base64url"),
      Buffer.from([0]),
    ]).toString("base64url");
    // Signed as a gateway of the previous release did: HMAC-SHA256 under the same derived key, 128-bit tag.
    const key = Buffer.from(hkdfSync("sha256", SECRET, "", "bankgraph transaction cursor v2", 32));
    const tag = createHmac("sha256", key).update(JSON.stringify(SCOPE)).update("\n").update(payload).digest().subarray(0, 16).toString("base64url");
    expect(codec.decode(`${payload}.${tag}`)).toEqual({
      upstream: null,
      offset: 40,
      skip: 0,
      boundary: { key: 1_780_000_000_000, ids: [id] },
      superseded: [],
      pendingFloor: null,
      topMark: null,
      owed: [],
      topUnseen: true,
    });
  });
});
