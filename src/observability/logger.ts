/**
 * Structured logs (pino). Redaction is configured here once: authorization headers, tokens,
 * passwords and account numbers never reach a log line, whoever logs them.
 */
import { pino, type Logger } from "pino";

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
];

export function createLogger(level: string = "info"): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: "[redacted]" }, base: { service: "bankgraph" } });
}

export type { Logger };
