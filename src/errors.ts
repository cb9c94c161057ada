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
  INVALID_CREDENTIALS = "INVALID_CREDENTIALS",
  INSTITUTION_DOWN = "INSTITUTION_DOWN",
  INSTITUTION_TIMEOUT = "INSTITUTION_TIMEOUT",
  INSTITUTION_ERROR = "INSTITUTION_ERROR",
  RATE_LIMITED = "RATE_LIMITED",
  INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR",
}

/** HTTP status that goes with a code when the error ends the whole request (not a field error). */
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
  [ErrorCode.INVALID_CREDENTIALS]: 200,
  [ErrorCode.INSTITUTION_DOWN]: 200,
  [ErrorCode.INSTITUTION_TIMEOUT]: 200,
  [ErrorCode.INSTITUTION_ERROR]: 200,
  [ErrorCode.RATE_LIMITED]: 200,
  [ErrorCode.INTERNAL_SERVER_ERROR]: 500,
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

/** Thrown where a switch must be exhaustive; the compiler proves the `never`. */
export class UnreachableCaseError extends Error {
  constructor(value: never) {
    super(`Unreachable case: ${JSON.stringify(value)}`);
  }
}

export const badInput = (message: string, details?: ErrorDetails) =>
  new GatewayError(ErrorCode.BAD_USER_INPUT, message, details);
export const notFound = (what: string) => new GatewayError(ErrorCode.NOT_FOUND, `${what} not found`);
