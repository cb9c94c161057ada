/**
 * Raw HTTP for the hardening suites: requests the harness's `gql` cannot make (malformed bodies,
 * other content types and methods) and a row count of every table, to prove a refused request
 * changed nothing in the store.
 */
import type { Database } from "../../src/store/database.js";

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  body: { data?: any; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> } | undefined;
}

/** Sends one request and reads the whole answer. */
export async function send(url: string, init: RequestInit = {}): Promise<RawResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: RawResponse["body"];
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** A JSON POST of `body` (a string is sent as is) with a bearer token. */
export function postJson(url: string, body: unknown, token?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Rows in every table of the gateway's schema, by table name. */
export async function rowCounts(db: Database): Promise<Record<string, number>> {
  const tables = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const counts: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}"`);
    counts[table_name] = Number(row!.n);
  }
  return counts;
}
