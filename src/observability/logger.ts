/**
 * Structured logs (pino). Redaction is configured here once: authorization headers, tokens,
 * passwords and account numbers never reach a log line, whoever logs them. On a terminal in
 * development the lines are pretty-printed (`terminalDestination`); anywhere else they are JSON.
 */
import { createRequire } from "node:module";
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

/**
 * Where `bankgraph serve` logs: pino-pretty writing to stdout when stdout is a terminal outside
 * production, so a person reads lines rather than JSON; undefined otherwise (JSON lines on
 * stdout, unchanged, for log shippers and pipes) or when pino-pretty is not installed.
 * @param options.production never pretty in production.
 * @param options.stdout the stream to test for a terminal; default `process.stdout`.
 */
export function terminalDestination(options: { production: boolean; stdout?: { isTTY?: boolean } }): DestinationStream | undefined {
  const stdout = options.stdout ?? process.stdout;
  if (options.production || stdout.isTTY !== true) return undefined;
  try {
    // Loaded only here, on a terminal: a piped or production process never loads it. Synchronous
    // (`sync: true`), so a line is on the screen before the process exits.
    const pretty = createRequire(import.meta.url)("pino-pretty") as (options: Record<string, unknown>) => DestinationStream;
    return pretty({ sync: true, colorize: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" });
  } catch {
    return undefined;
  }
}

export type { Logger };
