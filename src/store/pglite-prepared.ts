/**
 * Named statements on PGlite. PGlite's `query` sends each statement through the extended protocol
 * as six round trips into WASM (parse, describe, bind, describe, execute, sync) and Postgres parses
 * and plans it every time; the access-log append, one a request, spent most of its CPU there. A
 * statement given a name is prepared once (`PREPARE name AS …`, the parameter types taken from
 * the casts in the SQL) and then run as `EXECUTE name(…)` through the simple protocol (one round
 * trip and a sync), with a plan Postgres keeps.
 *
 * The parameters then travel as SQL literals, so this file is the one place they are quoted:
 * strings by pg's `escapeLiteral` (the quoting node-postgres uses), arrays as array literals
 * inside such a string, numbers only when finite, anything else refused. A literal is always a
 * quoted string (or NULL), which Postgres coerces to the declared parameter type — never SQL.
 */
import pg from "pg";

const { escapeLiteral } = pg;

/** What an array element or a literal must have escaped. */
const ARRAY_SPECIAL = /[\\"]/;
const LITERAL_SPECIAL = /['\\]/;

/** One element of an array literal: double-quoted with `\` and `"` escaped, or NULL. */
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  const text = scalarText(value);
  return ARRAY_SPECIAL.test(text) ? `"${text.replace(/[\\"]/g, "\\$&")}"` : `"${text}"`;
}

/**
 * `escapeLiteral(text)`, which copies the text a character at a time; a text with neither quote
 * nor backslash (ids, hashes, scopes: nearly every parameter) comes out of it merely quoted.
 */
const quoted = (text: string): string => (LITERAL_SPECIAL.test(text) ? escapeLiteral(text) : `'${text}'`);

/** A scalar's text form; refuses what has no unambiguous one. */
function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`prepared statement parameter: ${value} has no SQL form`);
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return value.toISOString();
  throw new TypeError(`prepared statement parameter of type ${typeof value} is not supported`);
}

/** A parameter as an SQL literal: NULL, or a quoted string Postgres coerces to the parameter's type. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Array.isArray(value)) return quoted(`{${value.map(arrayElement).join(",")}}`);
  return quoted(scalarText(value));
}

/** Prepared statement names must be plain identifiers: they are written into SQL as they are. */
const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** `PREPARE name AS sql` (the types come from the casts in `sql`). */
export function prepareStatement(name: string, sql: string): string {
  if (!NAME.test(name)) throw new Error(`prepared statement name "${name}" is not a plain lower-case identifier`);
  return `PREPARE ${name} AS ${sql}`;
}

/** `EXECUTE name(literal, …)`. */
export function executeStatement(name: string, params: readonly unknown[]): string {
  if (!NAME.test(name)) throw new Error(`prepared statement name "${name}" is not a plain lower-case identifier`);
  return params.length === 0 ? `EXECUTE ${name}` : `EXECUTE ${name}(${params.map(sqlLiteral).join(", ")})`;
}
