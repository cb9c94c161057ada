/**
 * Typed errors for SDK users. The gateway answers partial data plus errors: a field the consent
 * does not cover is null with an UNAUTHORIZED_FIELD_OR_TYPE error at its path, a bank that
 * cannot answer is null with its INSTITUTION_* / RATE_LIMITED / LOGIN_REQUIRED error. These
 * guards let an app branch on them without string-typing `extensions`.
 */
import { BankgraphErrorCode, ConsentDenialReason } from "./generated/error-codes.js";

export { BankgraphErrorCode, ConsentDenialReason };

/** One entry of a response's `errors`, as the gateway sends it. */
export interface BankgraphError {
  message: string;
  /** Where in `data` the error stands (that field is null). */
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: {
    /** A {@link BankgraphErrorCode}, or one of the GraphQL server's request codes (e.g. GRAPHQL_VALIDATION_FAILED). */
    code?: BankgraphErrorCode | (string & {});
    [key: string]: unknown;
  };
}

/** A field withheld because the consent covering its bank does not grant the scopes it needs. */
export interface ConsentError extends BankgraphError {
  path: ReadonlyArray<string | number>;
  extensions: {
    code: typeof BankgraphErrorCode.UNAUTHORIZED_FIELD_OR_TYPE;
    /** Outer list: any of; inner list: all of — e.g. `[["transactions:read"]]`. */
    requiredScopes: string[][];
    /** The bank whose consent is missing the scopes: ask the user for consent there. */
    institutionId: string;
    reason: ConsentDenialReason;
  };
}

/** Codes of a bank that could not answer; the rest of the response is unaffected. */
const INSTITUTION_CODES: ReadonlySet<string> = new Set([
  BankgraphErrorCode.INSTITUTION_DOWN,
  BankgraphErrorCode.INSTITUTION_TIMEOUT,
  BankgraphErrorCode.INSTITUTION_ERROR,
  BankgraphErrorCode.RATE_LIMITED,
  BankgraphErrorCode.LOGIN_REQUIRED,
]);

/** A bank that could not answer (down, slow, rate limiting, or wanting the user to log in again). */
export interface InstitutionError extends BankgraphError {
  extensions: {
    code:
      | typeof BankgraphErrorCode.INSTITUTION_DOWN
      | typeof BankgraphErrorCode.INSTITUTION_TIMEOUT
      | typeof BankgraphErrorCode.INSTITUTION_ERROR
      | typeof BankgraphErrorCode.RATE_LIMITED
      | typeof BankgraphErrorCode.LOGIN_REQUIRED;
    institutionId: string;
    /** Seconds to wait, with RATE_LIMITED. */
    retryAfter?: number;
    [key: string]: unknown;
  };
}

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(BankgraphErrorCode));
const KNOWN_REASONS: ReadonlySet<string> = new Set(Object.values(ConsentDenialReason));

function extensionsOf(error: unknown): Record<string, unknown> | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const extensions = (error as { extensions?: unknown }).extensions;
  return typeof extensions === "object" && extensions !== null ? (extensions as Record<string, unknown>) : undefined;
}

/** True when `code` is one of the gateway's own codes. */
export function isBankgraphErrorCode(code: unknown): code is BankgraphErrorCode {
  return typeof code === "string" && KNOWN_CODES.has(code);
}

/** The error's gateway code, or undefined (not a gateway error, or a GraphQL request code). */
export function errorCodeOf(error: unknown): BankgraphErrorCode | undefined {
  const code = extensionsOf(error)?.["code"];
  return isBankgraphErrorCode(code) ? code : undefined;
}

/** Narrows to a consent denial (UNAUTHORIZED_FIELD_OR_TYPE with its scopes, bank and reason). */
export function isConsentError(error: unknown): error is ConsentError {
  const extensions = extensionsOf(error);
  return (
    extensions?.["code"] === BankgraphErrorCode.UNAUTHORIZED_FIELD_OR_TYPE &&
    Array.isArray(extensions["requiredScopes"]) &&
    typeof extensions["institutionId"] === "string" &&
    typeof extensions["reason"] === "string" &&
    KNOWN_REASONS.has(extensions["reason"]) &&
    Array.isArray((error as BankgraphError).path)
  );
}

/** Narrows to a bank that could not answer, with its institutionId. */
export function isInstitutionError(error: unknown): error is InstitutionError {
  const extensions = extensionsOf(error);
  return typeof extensions?.["code"] === "string" && INSTITUTION_CODES.has(extensions["code"]) && typeof extensions["institutionId"] === "string";
}
