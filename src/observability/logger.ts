/**
 * Structured logs (pino). Redaction is configured here once: authorization headers, tokens,
 * passwords and account numbers never reach a log line, whoever logs them.
 */
import { pino, type DestinationStream, type Logger } from "pino";

export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "*.password",
  "*.accessToken",
  "*.access_token",
  "*.token",
  "*.accountNumber",
  "*.account_number",
  "*.number",
  "variables.*.password",
  "variables.input.password",
  "*.authorization",
  "*.Authorization",
  "*.cookie",
  "*.refreshToken",
  "*.refresh_token",
  "*.clientSecret",
  "*.client_secret",
  "*.accessTokenCiphertext",
  "*.secret",
];

/**
 * The gateway's logger: JSON lines with the redaction above.
 * @param level pino level; default "info".
 * @param destination where lines go; default stdout (tests pass a stream to read what was logged).
 */
export function createLogger(level: string = "info", destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: "[redacted]" }, base: { service: "bankgraph" } };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
