/**
 * Named statements on PGlite (src/store/pglite-prepared.ts) send their parameters as SQL
 * literals, quoted in one place. Whatever the text — quotes, backslashes, double quotes, braces,
 * commas, the word NULL, any Unicode — a parameter and every element of an array parameter come
 * back from the real embedded store exactly as given, through the same `prepareAs` path the
 * access log writes with; and the literal is pg's `escapeLiteral`, quoting and nothing else.
 */
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.js";
import { openPglite } from "../../src/store/pglite.js";
import { executeStatement, sqlLiteral } from "../../src/store/pglite-prepared.js";

/** Text PostgreSQL can hold: anything but NUL. */
const TEXT = fc.string({ unit: "grapheme", maxLength: 24 }).map((s) => s.replace(/\0/g, ""));
/** Text that leans on what quoting is about. */
const TRICKY = fc.oneof(TEXT, fc.string({ unit: fc.constantFrom("'", "\\", '"', "{", "}", ",", " ", "NULL", "a", "é"), maxLength: 12 }));

let db: Database;
beforeAll(async () => {
  db = await openPglite();
});
afterAll(async () => {
  await db.close();
});

describe("PGlite named statements", () => {
  it("quote a text the way pg's escapeLiteral does", () => {
    fc.assert(
      fc.property(TRICKY, (text) => {
        expect(sqlLiteral(text)).toBe(pg.escapeLiteral(text));
      }),
    );
  });

  it("give back every text and text array exactly as sent", async () => {
    await fc.assert(
      fc.asyncProperty(TRICKY, fc.array(fc.option(TRICKY, { nil: null }), { maxLength: 6 }), async (text, array) => {
        const [row] = await db.query<{ text: string; array: (string | null)[] }>("SELECT $1::text AS text, $2::text[] AS array", [text, array], {
          prepareAs: "round_trip",
        });
        expect(row).toEqual({ text, array });
      }),
      { numRuns: 150 },
    );
  });

  it("refuse a statement name that is not a plain identifier, and a number with no SQL form", () => {
    expect(() => executeStatement("drop table x", [])).toThrow(/plain lower-case identifier/);
    expect(() => sqlLiteral(Number.NaN)).toThrow(/no SQL form/);
  });
});
