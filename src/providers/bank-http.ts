/**
 * The HTTP client every adapter talks to its bank through. It owns what is the same for all
 * banks: base URL, per-bank timeout, mapping of transport and status failures to
 * `ProviderError`, validating the bank's body with the adapter's zod schema — so a garbled
 * answer becomes BAD_RESPONSE instead of a crash or a leak — and running every call through the
 * bank's resilience policy (retry, circuit breaker, bulkhead: `src/resilience/`).
 */
import { request as httpRequest, type Dispatcher } from "undici";
import type { ZodType } from "zod";
import { BankCallFailure, type BankCallFailureTraits } from "./bank-call-failure.js";
import type { BankCallPolicy } from "./call-policy.js";
import type { BankSession } from "./contract.js";
import type { ProviderFailure } from "./provider-error.js";

export interface BankRequest {
  /** PUT and DELETE: a bank's consent API (revocation); an empty answer (204) reads as `null`. */
  method?: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  /** JSON body (POST). */
  json?: unknown;
  /** application/x-www-form-urlencoded body (POST), as OAuth token endpoints take. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** The user's session at the bank: its access token is sent as `Authorization: Bearer …`. */
  session?: BankSession;
  /** Failure to report when the bank answers 401; defaults to LOGIN_REQUIRED. */
  on401?: ProviderFailure;
  /**
   * The call changes nothing at the bank, so it may be retried after a transient failure. GET is
   * always idempotent; set it on a bank's read-only POST (a search or query endpoint). Never on a
   * login/token call or anything with side effects. Default: true for GET, false for POST.
   */
  idempotent?: boolean;
  /**
   * Non-2xx statuses whose body is read with the schema instead of failing: a bank's business
   * refusal (insufficient funds, a reused idempotency key) that the adapter translates itself.
   * Default none. 401 and 429 are never read this way.
   */
  answers?: readonly number[];
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
  /** Told the outcome of every HTTP attempt (for health and metrics); not of calls refused by the policy. */
  onOutcome?: (outcome: BankCallOutcome) => void;
  /** Retry, circuit breaker and bulkhead for this bank. Default: none — one attempt per call (the adapters' wire tests). */
  policy?: BankCallPolicy;
}

export interface BankCallOutcome {
  institutionId: string;
  path: string;
  durationMs: number;
  /** undefined when the call succeeded. */
  failure?: ProviderFailure;
  /** 1 for the first attempt of a call, 2 for its first retry, … */
  attempt: number;
}

const MAX_RETRY_AFTER_SECONDS = 3600;

/** Connection refused or reset, or a 5xx: the bank is unwell, and asking again may work. */
const UNREACHABLE: BankCallFailureTraits = { bankFault: true, transient: true };
/** No answer in time: the bank is unwell; not retried (a second full wait doubles the user's). */
const SLOW: BankCallFailureTraits = { bankFault: true, transient: false };
/** An answer we cannot read: the bank is unwell; the same request would get the same answer. */
const GARBLED: BankCallFailureTraits = { bankFault: true, transient: false };
/** 429: the bank is healthy but wants us to slow down; a short Retry-After is waited out. */
const BUSY: BankCallFailureTraits = { bankFault: false, transient: true };
/** 401 or another 4xx: about this request or this login, not the bank's health. */
const REFUSED: BankCallFailureTraits = { bankFault: false, transient: false };

export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(Math.ceil(seconds), MAX_RETRY_AFTER_SECONDS);
  const date = Date.parse(header);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, Math.ceil((date - now) / 1000)), MAX_RETRY_AFTER_SECONDS);
}

/** The transport's reason (ECONNREFUSED, UND_ERR_SOCKET, …): never the bank's body or our headers. */
function causeOf(error: unknown): string {
  const { code, cause } = error as { code?: unknown; cause?: { code?: unknown } };
  const found = typeof code === "string" ? code : typeof cause?.code === "string" ? cause.code : (error as Error).name;
  return String(found ?? "unknown");
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function methodOf(req: BankRequest): NonNullable<BankRequest["method"]> {
  return req.method ?? (req.json === undefined && req.form === undefined ? "GET" : "POST");
}

export function createBankHttp(options: BankHttpOptions): BankHttp {
  const { institutionId, institutionName, timeoutMs = 5000 } = options;
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fail = (failure: ProviderFailure, detail: string, traits: BankCallFailureTraits, retryAfter?: number) =>
    new BankCallFailure(failure, institutionId, institutionName, detail, traits, retryAfter);

  function request<T>(req: BankRequest, schema: ZodType<T>): Promise<T> {
    let attempt = 0;
    const once = () => attemptOnce(req, schema, ++attempt);
    if (!options.policy) return once();
    return options.policy.execute(once, { idempotent: req.idempotent ?? methodOf(req) === "GET" });
  }

  async function attemptOnce<T>(req: BankRequest, schema: ZodType<T>, attempt: number): Promise<T> {
    const started = performance.now();
    try {
      const result = await send(req, schema);
      options.onOutcome?.({ institutionId, path: req.path, durationMs: performance.now() - started, attempt });
      return result;
    } catch (error) {
      const failure = error instanceof BankCallFailure ? error.failure : "UPSTREAM_ERROR";
      options.onOutcome?.({ institutionId, path: req.path, durationMs: performance.now() - started, failure, attempt });
      throw error;
    }
  }

  async function send<T>(req: BankRequest, schema: ZodType<T>): Promise<T> {
    const url = new URL(baseUrl + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: "application/json", ...req.headers };
    if (req.session) headers["authorization"] = `Bearer ${req.session.accessToken}`;
    let body: string | undefined;
    if (req.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(req.form).toString();
    } else if (req.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(req.json);
    }
    const method = methodOf(req);
    const where = `${method} ${req.path}`;

    // One deadline for the whole exchange, headers and body. (undici's own request: a fraction of
    // the CPU of fetch, which wraps every call in WHATWG streams and a transferable AbortSignal.)
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const failed = (error: unknown, during: string) =>
      deadline.signal.aborted ? fail("TIMEOUT", `${where} after ${timeoutMs}ms`, SLOW) : fail("DOWN", `${where}: ${during}${causeOf(error)}`, UNREACHABLE);
    let status: number;
    let retryAfter: string | undefined;
    let text: string;
    try {
      let response: Dispatcher.ResponseData;
      try {
        response = await httpRequest(url, { method, headers, body, signal: deadline.signal });
      } catch (error) {
        throw failed(error, "");
      }
      status = response.statusCode;
      retryAfter = headerValue(response.headers["retry-after"]);
      try {
        text = await response.body.text();
      } catch (error) {
        throw failed(error, "body read failed: ");
      }
    } finally {
      clearTimeout(timer);
    }

    if (status === 429) throw fail("RATE_LIMITED", `${where}: 429`, BUSY, parseRetryAfter(retryAfter ?? null) ?? 1);
    if (status === 401) throw fail(req.on401 ?? "LOGIN_REQUIRED", `${where}: 401`, REFUSED);
    const answered = req.answers?.includes(status) ?? false;
    if ((status < 200 || status > 299) && !answered) throw fail("UPSTREAM_ERROR", `${where}: ${status}`, status >= 500 ? UNREACHABLE : REFUSED);

    let parsed: unknown = null;
    try {
      if (text !== "" || status !== 204) parsed = JSON.parse(text);
    } catch {
      throw fail("BAD_RESPONSE", `${where}: body is not JSON`, GARBLED);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      const first = result.error.issues[0];
      throw fail("BAD_RESPONSE", `${where}: ${first ? `${first.path.join(".")}: ${first.message}` : "invalid"}`, GARBLED);
    }
    return result.data;
  }

  return { institutionId, baseUrl, request };
}
