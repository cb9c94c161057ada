import { ErrorCode, GatewayError } from "../errors.js";

/** Why a bank call failed, in the gateway's terms. */
export type ProviderFailure = "DOWN" | "TIMEOUT" | "RATE_LIMITED" | "LOGIN_REQUIRED" | "BAD_RESPONSE" | "UPSTREAM_ERROR";

const CODE: Record<ProviderFailure, ErrorCode> = {
  DOWN: ErrorCode.INSTITUTION_DOWN,
  TIMEOUT: ErrorCode.INSTITUTION_TIMEOUT,
  RATE_LIMITED: ErrorCode.RATE_LIMITED,
  LOGIN_REQUIRED: ErrorCode.LOGIN_REQUIRED,
  BAD_RESPONSE: ErrorCode.INSTITUTION_ERROR,
  UPSTREAM_ERROR: ErrorCode.INSTITUTION_ERROR,
};

const MESSAGE: Record<ProviderFailure, (name: string) => string> = {
  DOWN: (name) => `${name} is unreachable`,
  TIMEOUT: (name) => `${name} did not answer in time`,
  RATE_LIMITED: (name) => `${name} is rate limiting requests`,
  LOGIN_REQUIRED: (name) => `The login at ${name} has expired; the user must log in again`,
  BAD_RESPONSE: (name) => `${name} sent an answer the gateway could not read`,
  UPSTREAM_ERROR: (name) => `${name} reported an error`,
};

/**
 * A failed bank call. `internalDetail` is for logs only (status, path); the bank's raw body is
 * never kept, so it cannot leak.
 */
export class ProviderError extends Error {
  constructor(
    readonly failure: ProviderFailure,
    readonly institutionId: string,
    readonly institutionName: string,
    readonly internalDetail: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`${institutionId}: ${failure} (${internalDetail})`);
    this.name = "ProviderError";
  }

  /** The client-safe error for this failure. */
  toGatewayError(): GatewayError {
    return new GatewayError(CODE[this.failure], MESSAGE[this.failure](this.institutionName), {
      institutionId: this.institutionId,
      ...(this.retryAfterSeconds !== undefined ? { retryAfter: this.retryAfterSeconds } : {}),
    });
  }
}
