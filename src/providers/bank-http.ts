/**
 * The HTTP client every adapter talks to its bank through. It owns what is the same for all
 * banks: base URL, per-bank timeout, mapping of transport and status failures to
 * `ProviderError`, and validating the bank's body with the adapter's zod schema — so a garbled
 * answer becomes BAD_RESPONSE instead of a crash or a leak.
 */
import type { ZodType } from "zod";
import { ProviderError, type ProviderFailure } from "./provider-error.js";

export interface BankRequest {
  method?: "GET" | "POST";
  path: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** JSON body (POST). */
  json?: unknown;
  /** application/x-www-form-urlencoded body (POST), as OAuth token endpoints take. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Failure to report when the bank answers 401; defaults to LOGIN_REQUIRED. */
  on401?: ProviderFailure;
}

export interface BankHttp {
  readonly institutionId: string;
  readonly baseUrl: string;
  /** Sends the request and returns the validated body. Throws ProviderError on any failure. */
  request<T>(request: BankRequest, schema: ZodType<T>): Promise<T>;
}

export interface BankHttpOptions {
  institutionId: string;
  institutionName: string;
  baseUrl: string;
  /** Per-call timeout in ms. Default 5000. */
  timeoutMs?: number;
  /** Told the outcome of every call (for health and metrics). */
  onOutcome?: (outcome: BankCallOutcome) => void;
}

export interface BankCallOutcome {
  institutionId: string;
  path: string;
  durationMs: number;
  /** undefined when the call succeeded. */
  failure?: ProviderFailure;
}

const MAX_RETRY_AFTER_SECONDS = 3600;

export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(Math.ceil(seconds), MAX_RETRY_AFTER_SECONDS);
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, Math.ceil((date - now) / 1000)), MAX_RETRY_AFTER_SECONDS);
}

export function createBankHttp(options: BankHttpOptions): BankHttp {
  const { institutionId, institutionName, timeoutMs = 5000 } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fail = (failure: ProviderFailure, detail: string, retryAfter?: number) =>
    new ProviderError(failure, institutionId, institutionName, detail, retryAfter);

  async function request<T>(req: BankRequest, schema: ZodType<T>): Promise<T> {
    const started = performance.now();
    try {
      const result = await send(req, schema);
      options.onOutcome?.({ institutionId, path: req.path, durationMs: performance.now() - started });
      return result;
    } catch (error) {
      const failure = error instanceof ProviderError ? error.failure : "UPSTREAM_ERROR";
      options.onOutcome?.({ institutionId, path: req.path, durationMs: performance.now() - started, failure });
      throw error;
    }
  }

  async function send<T>(req: BankRequest, schema: ZodType<T>): Promise<T> {
    const url = new URL(baseUrl + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: "application/json", ...req.headers };
    let body: string | undefined;
    if (req.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(req.form).toString();
    } else if (req.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(req.json);
    }
    const method = req.method ?? (body === undefined ? "GET" : "POST");
    const where = `${method} ${req.path}`;

    let response: Response;
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const name = (error as Error).name;
      if (name === "TimeoutError" || name === "AbortError") throw fail("TIMEOUT", `${where} after ${timeoutMs}ms`);
      throw fail("DOWN", `${where}: ${(error as Error & { cause?: { code?: string } }).cause?.code ?? name}`);
    }

    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      const name = (error as Error).name;
      throw fail(name === "TimeoutError" ? "TIMEOUT" : "DOWN", `${where}: body read failed`);
    }

    if (response.status === 429) {
      throw fail("RATE_LIMITED", `${where}: 429`, parseRetryAfter(response.headers.get("retry-after")) ?? 1);
    }
    if (response.status === 401) throw fail(req.on401 ?? "LOGIN_REQUIRED", `${where}: 401`);
    if (!response.ok) throw fail("UPSTREAM_ERROR", `${where}: ${response.status}`);

    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw fail("BAD_RESPONSE", `${where}: body is not JSON`);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const first = result.error.issues[0];
      throw fail("BAD_RESPONSE", `${where}: ${first ? `${first.path.join(".")}: ${first.message}` : "invalid"}`);
    }
    return result.data;
  }

  return { institutionId, baseUrl, request };
}
