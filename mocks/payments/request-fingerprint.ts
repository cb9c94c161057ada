/**
 * How a mock bank tells "the same request again" from "another request under a reused key": the
 * request body in a canonical JSON form (object keys sorted), so key order and whitespace do not
 * matter and every value does.
 */
export function fingerprintOf(body: unknown): string {
  return JSON.stringify(canonical(body));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
