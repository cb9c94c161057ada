/**
 * Checking data scopes: the list itself (`SCOPES`, in canonical order) is domain data in
 * `src/domain/consent.ts`.
 */
import { SCOPES, type Scope } from "../domain/consent.js";
import { badInput } from "../errors.js";

/**
 * A token scope, not a data scope: the user is present and may authorize or reject consents.
 * It can never be granted through a consent.
 */
export const CONSENT_MANAGE_SCOPE = "consent:manage";

const KNOWN: ReadonlySet<string> = new Set(SCOPES);

/** True when `value` is one of {@link SCOPES}. */
export function isScope(value: unknown): value is Scope {
  return typeof value === "string" && KNOWN.has(value);
}

/**
 * Validates requested scopes: non-empty, all known, duplicates dropped, canonical order.
 * Throws BAD_USER_INPUT naming the unknown scopes.
 */
export function parseScopes(requested: readonly string[]): Scope[] {
  if (requested.length === 0) throw badInput("At least one scope is required");
  const unknown = requested.filter((s) => !isScope(s));
  if (unknown.length > 0) {
    throw badInput(`Unknown scope(s): ${unknown.join(", ")}. Known scopes: ${SCOPES.join(", ")}`);
  }
  const wanted = new Set(requested);
  return SCOPES.filter((s) => wanted.has(s));
}
