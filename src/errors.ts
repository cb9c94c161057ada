import { GraphQLError } from "graphql";

/**
 * Every error code a client can see in `extensions.code`. The set is part of the public
 * contract (documented in the README and referenced from `schema.graphql`).
 */
export enum ErrorCode {
  UNAUTHENTICATED = "UNAUTHENTICATED",
  FORBIDDEN = "FORBIDDEN",
  UNAUTHORIZED_FIELD_OR_TYPE = "UNAUTHORIZED_FIELD_OR_TYPE",
  BAD_USER_INPUT = "BAD_USER_INPUT",
  NOT_FOUND = "NOT_FOUND",
  CONFLICT = "CONFLICT",
  CONSENT_INVALID = "CONSENT_INVALID",
  PURPOSE_FORBIDDEN = "PURPOSE_FORBIDDEN",
  LOGIN_REQUIRED = "LOGIN_REQUIRED",
  INSTITUTION_DOWN = "INSTITUTION_DOWN",
  INSTITUTION_TIMEOUT = "INSTITUTION_TIMEOUT",
  INSTITUTION_ERROR = "INSTITUTION_ERROR",
  RATE_LIMITED = "RATE_LIMITED",
  /** The HTTP request itself is malformed (bad JSON, wrong content type, too large): status 400/413/415. */
  BAD_REQUEST = "BAD_REQUEST",
  /** The document exceeds a query limit (`extensions.limit`: TOKENS, DEPTH, ALIASES, DIRECTIVES, SELECTIONS or COST). */
  QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX",
  /** The `documentId` / persisted-query hash is not in the trusted-documents manifest. */
  PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND",
  /** Trusted-documents mode (production): free-form query text that is not a registered document. */
  TRUSTED_DOCUMENT_REQUIRED = "TRUSTED_DOCUMENT_REQUIRED",
  /** An event cursor (`after`) points before what the event log still keeps (EVENT_RETENTION_DAYS). */
  EVENT_CURSOR_EXPIRED = "EVENT_CURSOR_EXPIRED",
  /** A payment the app may not start at all (no payments:write, another person's account or payee): nothing stored, no bank call. */
  PAYMENT_NOT_ALLOWED = "PAYMENT_NOT_ALLOWED",
  /** An idempotency key sent again with other input. */
  IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED",
  /** An idempotency key whose first call has not finished yet. */
  IDEMPOTENCY_IN_PROGRESS = "IDEMPOTENCY_IN_PROGRESS",
  /** The payment's details changed after the person saw them: the confirmation is void. */
  PAYMENT_DETAILS_CHANGED = "PAYMENT_DETAILS_CHANGED",
  INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR",
}

/**
 * HTTP status that goes with a code when the error ends the whole request (not a field error).
 * Under application/json a request error with a 400 here answers 200 instead, as the
 * GraphQL-over-HTTP spec says (src/server/http/request-error-status.ts).
 */
export const httpStatusFor: Record<ErrorCode, number> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE]: 200,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.NOT_FOUND]: 200,
  [ErrorCode.CONFLICT]: 200,
  [ErrorCode.CONSENT_INVALID]: 200,
  [ErrorCode.PURPOSE_FORBIDDEN]: 200,
  [ErrorCode.LOGIN_REQUIRED]: 200,
  [ErrorCode.INSTITUTION_DOWN]: 200,
  [ErrorCode.INSTITUTION_TIMEOUT]: 200,
  [ErrorCode.INSTITUTION_ERROR]: 200,
  [ErrorCode.RATE_LIMITED]: 200,
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
  [ErrorCode.PERSISTED_QUERY_NOT_FOUND]: 400,
  [ErrorCode.TRUSTED_DOCUMENT_REQUIRED]: 400,
  [ErrorCode.EVENT_CURSOR_EXPIRED]: 200,
  [ErrorCode.PAYMENT_NOT_ALLOWED]: 200,
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: 200,
  [ErrorCode.IDEMPOTENCY_IN_PROGRESS]: 200,
  [ErrorCode.PAYMENT_DETAILS_CHANGED]: 200,
  [ErrorCode.INTERNAL_SERVER_ERROR]: 500,
};

/**
 * What each code means to a client. Printed into the schema's description (so it is in
 * `schema.graphql`, introspection and the playground's docs) and the SDK's `BankgraphErrorCode`;
 * a new code does not compile until it is described here.
 */
export const errorCodeDescriptions: Record<ErrorCode, string> = {
  [ErrorCode.UNAUTHENTICATED]: "No valid bearer token (missing, malformed, expired or wrongly signed). HTTP 401.",
  [ErrorCode.FORBIDDEN]:
    "The token may not do this, e.g. an app authorizing a consent or reading the access log (needs the user's consent:manage token). HTTP 403.",
  [ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE]:
    "The consent covering this bank does not grant the scopes the field needs: the field is null, siblings are unaffected. extensions: requiredScopes, institutionId, reason (NOT_GRANTED, EXPIRED, REVOKED, REJECTED, AWAITING_AUTHORIZATION), consentId (the Consent.id of the app's consent that decided, null when it has none on that link: ask for the wider one in one call).",
  [ErrorCode.BAD_USER_INPUT]: "An argument is invalid; the message names it. Nothing was changed.",
  [ErrorCode.NOT_FOUND]: "No such object for this user.",
  [ErrorCode.CONFLICT]: "The change conflicts with the current state, e.g. the bank is already linked. extensions: institutionId.",
  [ErrorCode.CONSENT_INVALID]: "The consent cannot make this change. extensions: reason (ACTOR_NOT_ALLOWED, ILLEGAL_TRANSITION), status.",
  [ErrorCode.PURPOSE_FORBIDDEN]: "Advertising, marketing and data resale are not allowed purposes (CFPB 1033).",
  [ErrorCode.LOGIN_REQUIRED]:
    "The bank no longer honours the person's authorization (revoked or ended at the bank): they must authorize again on the bank's own pages, which re-activates the link. extensions: institutionId; reason RECONNECT_AT_BANK and consentId when a renewal was refused for it.",
  [ErrorCode.INSTITUTION_DOWN]: "The bank is not answering; its fields are null, the other banks' data is there. extensions: institutionId.",
  [ErrorCode.INSTITUTION_TIMEOUT]: "The bank did not answer in time. extensions: institutionId.",
  [ErrorCode.INSTITUTION_ERROR]: "The bank answered with an error or an unreadable response. extensions: institutionId.",
  [ErrorCode.RATE_LIMITED]:
    "Too many requests; try again after extensions.retryAfter seconds. A bank's limit: extensions.institutionId, the bank's fields only. The gateway's own limit per user or app: HTTP 429 with Retry-After, extensions.limit (USER or CLIENT), the whole request refused.",
  [ErrorCode.BAD_REQUEST]: "The HTTP request itself is malformed (bad JSON, wrong content type, too large). HTTP 400/413/415.",
  [ErrorCode.QUERY_TOO_COMPLEX]:
    "The document exceeds a query limit; nothing ran. A request error: HTTP 200 under application/json, 400 under application/graphql-response+json. extensions: limit (TOKENS, DEPTH, ALIASES, DIRECTIVES, SELECTIONS or COST), max, actual (where counted).",
  [ErrorCode.PERSISTED_QUERY_NOT_FOUND]:
    "The documentId (or persisted-query hash) is not in the trusted-documents manifest. A request error: HTTP 200 under application/json, 400 under application/graphql-response+json.",
  [ErrorCode.TRUSTED_DOCUMENT_REQUIRED]:
    "Trusted-documents mode (production): send a registered documentId instead of query text. A request error: HTTP 200 under application/json, 400 under application/graphql-response+json.",
  [ErrorCode.EVENT_CURSOR_EXPIRED]:
    "The `after` cursor points before the oldest event the log still keeps (retention, EVENT_RETENTION_DAYS): events were missed. Re-read the current state, then subscribe or read `events` without `after`.",
  [ErrorCode.PAYMENT_NOT_ALLOWED]:
    "The app may not start this payment, so nothing was stored and no bank was called. extensions: decision DECLINED, reason — CONSENT_MISSING (no AUTHORIZED consent granting payments:write on the account's link: never asked, revoked, expired, or its payment limits ended), ACCOUNT_NOT_ALLOWED (not one of the person's accounts, or not one the person allowed payments from), PAYEE_NOT_FOUND (not a payee the person registered at that bank), NOT_PERMITTED_AT_BANK (the person's grant at the bank does not include payments: connect the bank again allowing them) or PAYMENTS_NOT_OFFERED (the bank sends no payments through Bankgraph).",
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]:
    "This idempotency key was already used by this person for this mutation with other input. Nothing was changed; use a new key for a new payment (keys are kept 7 days).",
  [ErrorCode.IDEMPOTENCY_IN_PROGRESS]:
    "The first call with this idempotency key has not finished yet. Nothing was changed; retry with the same key in a moment to get its outcome.",
  [ErrorCode.PAYMENT_DETAILS_CHANGED]:
    "What the person confirmed (source account, payee, amount, currency, reference, fee) is not what the payment now holds: the confirmation is void and nothing was sent.",
  [ErrorCode.INTERNAL_SERVER_ERROR]: "Something unexpected failed; details are logged, never sent. HTTP 500 when it ends the request.",
};

/** Extra, client-safe facts an error may carry. Never put tokens, raw bank bodies or stacks here. */
export interface ErrorDetails {
  institutionId?: string;
  retryAfter?: number;
  requiredScopes?: string[][];
  reason?: string;
  [key: string]: unknown;
}

/**
 * The one error type the gateway throws on purpose. Its message and details reach the client;
 * anything that is not a `GatewayError` is masked as INTERNAL_SERVER_ERROR.
 */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, { extensions: { ...details, code, http: { status: httpStatusFor[code] } } });
    this.code = code;
    this.name = "GatewayError";
  }
}

export const badInput = (message: string, details?: ErrorDetails) => new GatewayError(ErrorCode.BAD_USER_INPUT, message, details);
export const notFound = (what: string) => new GatewayError(ErrorCode.NOT_FOUND, `${what} not found`);
