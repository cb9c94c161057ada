/**
 * The shape of a request ID a caller may choose. It is logged and echoed in `x-request-id`, so
 * anything else (newlines, long strings) could forge or bloat log lines.
 */

/** A caller's `x-request-id` is kept only when it matches this (no log injection); otherwise one is generated. */
export const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
