/**
 * Configuration from the environment, validated once at start-up. Every variable, its default and
 * an example are listed in docs/configuration.md (test/docs checks that none is missing); this
 * file is the source of truth.
 */
import { z } from "zod";

/** Tuning of every bank's resilience policy (`src/resilience/`): BANK_RETRIES … BANK_BULKHEAD_QUEUE. */
export interface BankResilienceOptions {
  /** Extra attempts of an idempotent read after a transient failure. Default 2. */
  retries: number;
  /** Scale of the first backoff delay in ms; later ones grow exponentially, with jitter. Default 100. */
  retryBaseDelayMs: number;
  /** Longest backoff delay in ms. Default 1000. */
  retryMaxDelayMs: number;
  /** Longest Retry-After (ms) of a 429 that is waited out before retrying; a longer one surfaces as RATE_LIMITED at once. Default 2000. */
  retryAfterMaxWaitMs: number;
  /** Consecutive bank faults that open the circuit. Default 5. */
  breakerFailures: number;
  /** How long an open circuit fails fast before one probe call is let through (ms). Default 10000. */
  breakerHalfOpenAfterMs: number;
  /** Calls to one bank in flight at once. Default 10. */
  bulkheadConcurrency: number;
  /** Calls waiting for a slot; beyond that a call fails at once with INSTITUTION_TIMEOUT. Default 20. */
  bulkheadQueue: number;
}

/** Defaults of {@link BankResilienceOptions}, used when a variable is not set. */
export const DEFAULT_BANK_RESILIENCE: Readonly<BankResilienceOptions> = {
  retries: 2,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 1000,
  retryAfterMaxWaitMs: 2000,
  breakerFailures: 5,
  breakerHalfOpenAfterMs: 10_000,
  bulkheadConcurrency: 10,
  bulkheadQueue: 20,
};

const DEV_JWT_SECRET = "bankgraph-dev-secret-do-not-use-in-production-0123456789";
/** Bankgraph's registration at the in-process mock identity provider (mocks/identity-provider/); dev only. */
const DEV_IDENTITY_CLIENT = { id: "bankgraph", secret: "bankgraph-dev-identity-secret-0123456789" };
const DEV_TOKEN_KEY = "ZGV2LW9ubHktdG9rZW4tZW5jcnlwdGlvbi1rZXktMzI="; // 32 bytes, base64; dev only

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default(".bankgraph"),
  REDIS_URL: z.string().url().optional(),
  JWT_SECRET: z.string().min(32).optional(),
  JWT_PUBLIC_KEY: z.string().optional(),
  JWT_JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().default("bankgraph-dev"),
  JWT_AUDIENCE: z.string().default("bankgraph"),
  TOKEN_ENCRYPTION_KEY: z.string().optional(),
  /** JSON object institutionId → base URL; when absent, the mock banks run in-process. */
  BANK_URLS: z.string().optional(),
  BANK_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  // Resilience per bank (src/resilience/), upstream cache (src/cache/), shutdown: documented on `GatewayConfig`.
  /** JSON object institutionId → { clientId, clientSecret }: Bankgraph's OAuth client at each bank; outside production, unset banks use the mocks' dev clients. */
  BANK_OAUTH_CLIENTS: z.string().optional(),
  BANK_RETRIES: z.coerce.number().int().min(0).max(10).default(DEFAULT_BANK_RESILIENCE.retries),
  BANK_RETRY_BASE_DELAY_MS: z.coerce.number().int().min(0).default(DEFAULT_BANK_RESILIENCE.retryBaseDelayMs),
  BANK_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(0).default(DEFAULT_BANK_RESILIENCE.retryMaxDelayMs),
  BANK_RETRY_AFTER_MAX_WAIT_MS: z.coerce.number().int().min(0).default(DEFAULT_BANK_RESILIENCE.retryAfterMaxWaitMs),
  BANK_BREAKER_FAILURES: z.coerce.number().int().positive().default(DEFAULT_BANK_RESILIENCE.breakerFailures),
  BANK_BREAKER_HALF_OPEN_AFTER_MS: z.coerce.number().int().min(0).default(DEFAULT_BANK_RESILIENCE.breakerHalfOpenAfterMs),
  BANK_BULKHEAD_CONCURRENCY: z.coerce.number().int().positive().default(DEFAULT_BANK_RESILIENCE.bulkheadConcurrency),
  BANK_BULKHEAD_QUEUE: z.coerce.number().int().min(0).default(DEFAULT_BANK_RESILIENCE.bulkheadQueue),
  UPSTREAM_CACHE_TTL_MS: z.coerce.number().int().min(0).default(30_000),
  UPSTREAM_CACHE_MAX_ENTRIES: z.coerce.number().int().positive().default(10_000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000),
  ACCESS_LOG_HEAD_SIGN_MS: z.coerce.number().int().min(0).default(60_000),
  DEMO_DATA: z.enum(["true", "false"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Real-time (src/realtime/, src/webhooks/): bank webhooks → GraphQL subscriptions.
  /** JSON object institutionId → webhook signing secret; outside production, unset banks use the mocks' dev secrets. */
  WEBHOOK_SECRETS: z.string().optional(),
  CONSENT_EXPIRY_SWEEP_MS: z.coerce.number().int().min(0).default(60_000),
  WEBHOOK_RECONCILE_MS: z.coerce.number().int().min(0).default(300_000),
  DEMO_EVENTS_INTERVAL_MS: z.coerce.number().int().min(0).default(10_000),
  EVENT_HEAD_CHECK_MS: z.coerce.number().int().min(0).default(2_000),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  EVENT_RETENTION_SWEEP_MS: z.coerce.number().int().min(0).default(3_600_000),
  WS_MAX_CONNECTIONS_PER_PERSON: z.coerce.number().int().positive().default(10),
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().positive().default(25),
  // What follows a revocation (src/resilience/outbox-dispatcher.ts): app webhooks, telling the bank.
  REVOCATION_OUTBOX_POLL_MS: z.coerce.number().int().min(0).default(2000),
  REVOCATION_OUTBOX_BASE_DELAY_MS: z.coerce.number().int().min(1).default(1000),
  REVOCATION_OUTBOX_MAX_DELAY_MS: z.coerce.number().int().min(1).default(3_600_000),
  REVOCATION_OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(12),
  APP_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  // Request limits (src/server/pipeline/): what one request may ask for.
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(102_400),
  MAX_QUERY_TOKENS: z.coerce.number().int().positive().default(2000),
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(15),
  MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).default(50),
  MAX_QUERY_SELECTIONS: z.coerce.number().int().positive().default(2000),
  MAX_QUERY_COST: z.coerce.number().int().positive().default(50_000),
  // Rate limits (src/server/rate-limit/): requests per window, 0 = off; shared through REDIS_URL.
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  RATE_LIMIT_PER_USER: z.coerce.number().int().min(0).default(1200),
  RATE_LIMIT_PER_CLIENT: z.coerce.number().int().min(0).default(120_000),
  // Trusted documents (src/server/pipeline/trusted-document.ts): a persisted-documents.json manifest.
  TRUSTED_DOCUMENTS: z.string().min(1).optional(),
  TRUSTED_DOCUMENTS_ONLY: z.enum(["true", "false"]).optional(),
  // The person's pages (src/web/): sign-in at an OpenID Connect provider, server-side sessions.
  IDENTITY_ISSUER: z.string().url().optional(),
  IDENTITY_CLIENT_ID: z.string().min(1).default(DEV_IDENTITY_CLIENT.id),
  IDENTITY_CLIENT_SECRET: z.string().min(16).optional(),
  WEB_SESSION_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  // Apps and connect sessions (src/apps/, src/connect/).
  /** Path to a JSON file of app registrations applied at start (docs/apps.md). */
  CLIENTS_FILE: z.string().min(1).optional(),
  /** The gateway's address as a person's browser reaches it; connect-session URLs start with it. */
  PUBLIC_URL: z.string().url().optional(),
  CONNECT_SESSION_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  // Payments (src/payments/).
  /** How long a payment intent's confirmation URL works, in minutes. */
  PAYMENT_CONFIRMATION_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
  /** How often each instance expires overdue intents and asks banks about quiet payments (ms); 0 = never on a timer. */
  PAYMENT_SWEEP_MS: z.coerce.number().int().min(0).default(15_000),
  /** How long a confirmed or submitted payment may go without news before its bank is asked, in seconds. */
  PAYMENT_STATUS_QUIET_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
});

export type Env = z.infer<typeof envSchema>;

export interface GatewayConfig {
  production: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  redisUrl: string | undefined;
  jwt: {
    secret: string | undefined;
    publicKeyPem: string | undefined;
    jwksUrl: string | undefined;
    issuer: string;
    audience: string;
  };
  tokenEncryptionKey: string;
  bankUrls: Record<string, string> | undefined;
  bankTimeoutMs: number;
  bankOAuth: BankOAuthConfig;
  /** Retry, circuit breaker and bulkhead of every bank (BANK_RETRIES … BANK_BULKHEAD_QUEUE; defaults in `DEFAULT_BANK_RESILIENCE`). */
  resilience: BankResilienceOptions;
  upstreamCache: UpstreamCacheConfig;
  /** How long a shutdown waits for in-flight requests before closing their connections (SHUTDOWN_GRACE_MS, default 10000). */
  shutdownGraceMs: number;
  /**
   * How often the tip of every access-log chain that advanced is signed (ACCESS_LOG_HEAD_SIGN_MS,
   * default 60000; 0 = only on demand, when a person asks for their head). Records cut off after the
   * last signed head cannot be told from records never written, so this bounds how much can go unseen.
   */
  accessLogHeadSignMs: number;
  demoData: boolean;
  logLevel: Env["LOG_LEVEL"];
  realtime: RealtimeConfig;
  revocationOutbox: RevocationOutboxConfig;
  limits: RequestLimits;
  rateLimit: RateLimitConfig;
  trustedDocuments: TrustedDocumentsConfig;
  connect: ConnectConfig;
  web: WebConfig;
  /** PAYMENT_CONFIRMATION_MINUTES: how long a payment intent's confirmation URL works (default 10, 1–60). */
  paymentConfirmationMinutes: number;
  /** PAYMENT_SWEEP_MS (default 15 000; 0 = never on a timer) and PAYMENT_STATUS_QUIET_SECONDS (default 120) as ms. */
  paymentSweeps: { intervalMs: number; statusQuietMs: number };
}

/**
 * How the work that follows a revocation is retried (signed app webhooks, telling the bank), on
 * every instance: rows are looked for every `pollMs` and right after each revocation commits.
 */
export interface RevocationOutboxConfig {
  /** REVOCATION_OUTBOX_POLL_MS: how often every instance looks for due rows (ms; 0 = only after a revocation). Default 2000. */
  pollMs: number;
  /** REVOCATION_OUTBOX_BASE_DELAY_MS: the first retry's delay; each later one doubles (±20 % jitter). Default 1000. */
  baseDelayMs: number;
  /** REVOCATION_OUTBOX_MAX_DELAY_MS: the longest retry delay. Default 3600000 (one hour). */
  maxDelayMs: number;
  /** REVOCATION_OUTBOX_MAX_ATTEMPTS: attempts before a row is abandoned (and logged). Default 12 (about 34 hours). */
  maxAttempts: number;
  /** APP_WEBHOOK_TIMEOUT_MS: how long one webhook POST to an app may take. Default 5000. */
  appWebhookTimeoutMs: number;
}

/** Registered apps and connect sessions. */
export interface ConnectConfig {
  /** CLIENTS_FILE: app registrations applied at every start (idempotent); none when unset. */
  clientsFile: string | undefined;
  /** PUBLIC_URL without a trailing slash; default `http://localhost:${PORT}` (a port 0 gateway uses its real port). */
  publicUrl: string | undefined;
  /** CONNECT_SESSION_MINUTES: how long a connect session's URL works (default 30, at most 1440). */
  sessionMinutes: number;
}

/** Bankgraph as each bank's OAuth client (src/links/bank-oauth/). */
export interface BankOAuthConfig {
  /** BANK_OAUTH_CLIENTS: institution ID → Bankgraph's client id and secret at that bank (client_secret_basic). */
  clients: Record<string, { clientId: string; clientSecret: string }>;
  /** Banks missing from `clients` use the mock banks' dev clients; false in production (such a bank cannot be linked). */
  devClients: boolean;
  /** Plain-http issuers allowed (the mock banks); false in production, where every bank is https. */
  allowHttp: boolean;
}

/** The person's pages (/connect, /connections): their sign-in and sessions. */
export interface WebConfig {
  /**
   * PUBLIC_URL: the origin people reach this gateway at (redirect URIs at the identity provider and
   * the banks are built from it). Default: http://localhost:<port> once listening (development).
   */
  publicUrl: string | undefined;
  /** Where people sign in (authorization code + PKCE). */
  identity: {
    /** IDENTITY_ISSUER; unset = the in-process mock identity provider under `npm start` (dev), pages refuse sign-in otherwise. */
    issuer: string | undefined;
    /** IDENTITY_CLIENT_ID, default `bankgraph`. */
    clientId: string;
    /** IDENTITY_CLIENT_SECRET (client_secret_basic); dev default the mock provider's registration. */
    clientSecret: string;
  };
  /** How long a page session lives after sign-in (WEB_SESSION_MINUTES, default 30). */
  sessionTtlMs: number;
}

/** What one request may ask for; each breach is refused before any resolver runs. */
export interface RequestLimits {
  /** Largest request body in bytes (MAX_BODY_BYTES, default 102400 = 100 KiB) → 413. */
  maxBodyBytes: number;
  /** Lexical tokens in the query text (MAX_QUERY_TOKENS, default 2000). */
  maxTokens: number;
  /** Nested field levels; `{ a { b } }` is depth 2 (MAX_QUERY_DEPTH, default 12). */
  maxDepth: number;
  /** Aliased fields in the document (MAX_QUERY_ALIASES, default 15). */
  maxAliases: number;
  /** Directive uses in the document (MAX_QUERY_DIRECTIVES, default 50). */
  maxDirectives: number;
  /** Selections with every fragment spread expanded: stops fragment bombs (MAX_QUERY_SELECTIONS, default 2000). */
  maxSelections: number;
  /** Estimated cost, lists multiplied by `first` (MAX_QUERY_COST, default 50000). */
  maxCost: number;
}

/** Fixed-window request limits per user and per client; 0 turns one off. */
export interface RateLimitConfig {
  /** RATE_LIMIT_WINDOW_SECONDS, default 60. */
  windowSeconds: number;
  /** Requests per window for one user across all apps (RATE_LIMIT_PER_USER, default 1200). */
  perUser: number;
  /** Requests per window for one app across all its users (RATE_LIMIT_PER_CLIENT, default 120000). */
  perClient: number;
}

/** Registered operations (GraphQL Codegen's persisted-documents.json format). */
export interface TrustedDocumentsConfig {
  /** TRUSTED_DOCUMENTS: path to `{ "<sha256 hex>": "<document>" }`. */
  path: string | undefined;
  /** Refuse free-form query text (TRUSTED_DOCUMENTS_ONLY, default true in production). */
  only: boolean;
}

/** Bank webhooks and subscriptions. */
export interface RealtimeConfig {
  /** WEBHOOK_SECRETS: institution ID → HMAC secret of its webhooks (at least 16 characters each). */
  webhookSecrets: Record<string, string>;
  /** Banks missing from webhookSecrets use the mock banks' dev secrets; false in production (their webhooks answer 404). */
  devWebhookSecrets: boolean;
  /** WEBHOOK_RECONCILE_MS: how often every bank's "events since" is pulled, for missed deliveries no later delivery reveals (default 300000; 0 = only at start and on a sequence gap). */
  webhookReconcileMs: number;
  /** CONSENT_EXPIRY_SWEEP_MS: how often lapsed consents are recorded EXPIRED and consents expiring within 30 or 7 days announced (default 60000; 0 = off). */
  consentExpirySweepMs: number;
  /** DEMO_EVENTS_INTERVAL_MS: `npm start` with in-process mocks emits a demo bank event this often (default 10000; 0 = off). */
  demoEventsIntervalMs: number;
  /** EVENT_HEAD_CHECK_MS: how often one query checks the log heads of every live subscriber, the safety net for lost hints (default 2000; 0 = off). */
  headCheckMs: number;
  /** EVENT_RETENTION_DAYS: how long the event log keeps events; older cursors get EVENT_CURSOR_EXPIRED (default 30). */
  eventRetentionDays: number;
  /** EVENT_RETENTION_SWEEP_MS: how often events past retention are deleted (default 3600000; 0 = off). */
  retentionSweepMs: number;
  /** WS_MAX_CONNECTIONS_PER_PERSON: open WebSockets per person, across instances through REDIS_URL (default 10); one more closes with 4429. */
  wsMaxConnectionsPerPerson: number;
  /** WS_MAX_SUBSCRIPTIONS_PER_SOCKET: active subscriptions on one WebSocket (default 25); one more is refused. */
  wsMaxSubscriptionsPerSocket: number;
}

/** What the gateway keeps of the banks' answers (instance-local; see src/cache/upstream-cache.ts). */
export interface UpstreamCacheConfig {
  /** How long accounts, balances and transaction pages are served from the cache, in ms; 0 = never (UPSTREAM_CACHE_TTL_MS, default 30000). */
  ttlMs: number;
  /** Most entries kept, oldest dropped first (UPSTREAM_CACHE_MAX_ENTRIES, default 10000). */
  maxEntries: number;
}

/** Reads and validates the environment. Throws one error naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === "production";
  if (production) {
    if (!e.JWT_SECRET && !e.JWT_PUBLIC_KEY && !e.JWT_JWKS_URL) {
      throw new Error("Invalid configuration: production needs JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET");
    }
    if (!e.TOKEN_ENCRYPTION_KEY) throw new Error("Invalid configuration: production needs TOKEN_ENCRYPTION_KEY");
    if (e.IDENTITY_ISSUER && !e.IDENTITY_CLIENT_SECRET) throw new Error("Invalid configuration: IDENTITY_ISSUER needs IDENTITY_CLIENT_SECRET in production");
  }
  const trustedOnly = e.TRUSTED_DOCUMENTS_ONLY ? e.TRUSTED_DOCUMENTS_ONLY === "true" : production;
  if (trustedOnly && !e.TRUSTED_DOCUMENTS) {
    throw new Error(
      "Invalid configuration: trusted-documents mode (default in production) needs TRUSTED_DOCUMENTS=path/to/persisted-documents.json, or TRUSTED_DOCUMENTS_ONLY=false",
    );
  }
  let webhookSecrets: Record<string, string> = {};
  if (e.WEBHOOK_SECRETS) {
    let json: unknown;
    try {
      json = JSON.parse(e.WEBHOOK_SECRETS);
    } catch {
      json = undefined;
    }
    const secrets = z.record(z.string(), z.string().min(16)).safeParse(json);
    if (!secrets.success) throw new Error("Invalid configuration: WEBHOOK_SECRETS must be a JSON object of institution ID → secret (at least 16 characters)");
    webhookSecrets = secrets.data;
  }
  const bankOAuthClients = parseBankOAuthClients(e.BANK_OAUTH_CLIENTS);
  let bankUrls: Record<string, string> | undefined;
  if (e.BANK_URLS) {
    const urls = z.record(z.string(), z.string().url()).safeParse(JSON.parse(e.BANK_URLS));
    if (!urls.success) throw new Error("Invalid configuration: BANK_URLS must be a JSON object of institution ID → URL");
    bankUrls = urls.data;
  }
  return {
    production,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    jwt: {
      secret: e.JWT_SECRET ?? (e.JWT_PUBLIC_KEY || e.JWT_JWKS_URL ? undefined : DEV_JWT_SECRET),
      publicKeyPem: e.JWT_PUBLIC_KEY,
      jwksUrl: e.JWT_JWKS_URL,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
    },
    tokenEncryptionKey: e.TOKEN_ENCRYPTION_KEY ?? DEV_TOKEN_KEY,
    bankUrls,
    bankTimeoutMs: e.BANK_TIMEOUT_MS,
    bankOAuth: { clients: bankOAuthClients, devClients: !production, allowHttp: !production },
    resilience: {
      retries: e.BANK_RETRIES,
      retryBaseDelayMs: e.BANK_RETRY_BASE_DELAY_MS,
      retryMaxDelayMs: e.BANK_RETRY_MAX_DELAY_MS,
      retryAfterMaxWaitMs: e.BANK_RETRY_AFTER_MAX_WAIT_MS,
      breakerFailures: e.BANK_BREAKER_FAILURES,
      breakerHalfOpenAfterMs: e.BANK_BREAKER_HALF_OPEN_AFTER_MS,
      bulkheadConcurrency: e.BANK_BULKHEAD_CONCURRENCY,
      bulkheadQueue: e.BANK_BULKHEAD_QUEUE,
    },
    upstreamCache: { ttlMs: e.UPSTREAM_CACHE_TTL_MS, maxEntries: e.UPSTREAM_CACHE_MAX_ENTRIES },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    accessLogHeadSignMs: e.ACCESS_LOG_HEAD_SIGN_MS,
    demoData: e.DEMO_DATA ? e.DEMO_DATA === "true" : !production,
    logLevel: e.LOG_LEVEL,
    realtime: {
      webhookSecrets,
      devWebhookSecrets: !production,
      webhookReconcileMs: e.WEBHOOK_RECONCILE_MS,
      consentExpirySweepMs: e.CONSENT_EXPIRY_SWEEP_MS,
      demoEventsIntervalMs: e.DEMO_EVENTS_INTERVAL_MS,
      headCheckMs: e.EVENT_HEAD_CHECK_MS,
      eventRetentionDays: e.EVENT_RETENTION_DAYS,
      retentionSweepMs: e.EVENT_RETENTION_SWEEP_MS,
      wsMaxConnectionsPerPerson: e.WS_MAX_CONNECTIONS_PER_PERSON,
      wsMaxSubscriptionsPerSocket: e.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
    },
    revocationOutbox: {
      pollMs: e.REVOCATION_OUTBOX_POLL_MS,
      baseDelayMs: e.REVOCATION_OUTBOX_BASE_DELAY_MS,
      maxDelayMs: e.REVOCATION_OUTBOX_MAX_DELAY_MS,
      maxAttempts: e.REVOCATION_OUTBOX_MAX_ATTEMPTS,
      appWebhookTimeoutMs: e.APP_WEBHOOK_TIMEOUT_MS,
    },
    limits: {
      maxBodyBytes: e.MAX_BODY_BYTES,
      maxTokens: e.MAX_QUERY_TOKENS,
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_QUERY_ALIASES,
      maxDirectives: e.MAX_QUERY_DIRECTIVES,
      maxSelections: e.MAX_QUERY_SELECTIONS,
      maxCost: e.MAX_QUERY_COST,
    },
    rateLimit: { windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS, perUser: e.RATE_LIMIT_PER_USER, perClient: e.RATE_LIMIT_PER_CLIENT },
    trustedDocuments: { path: e.TRUSTED_DOCUMENTS, only: trustedOnly },
    web: {
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ""),
      identity: { issuer: e.IDENTITY_ISSUER, clientId: e.IDENTITY_CLIENT_ID, clientSecret: e.IDENTITY_CLIENT_SECRET ?? DEV_IDENTITY_CLIENT.secret },
      sessionTtlMs: e.WEB_SESSION_MINUTES * 60_000,
    },
    connect: { clientsFile: e.CLIENTS_FILE, publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ""), sessionMinutes: e.CONNECT_SESSION_MINUTES },
    paymentConfirmationMinutes: e.PAYMENT_CONFIRMATION_MINUTES,
    paymentSweeps: { intervalMs: e.PAYMENT_SWEEP_MS, statusQuietMs: e.PAYMENT_STATUS_QUIET_SECONDS * 1000 },
  };
}

/** BANK_OAUTH_CLIENTS, validated: `{"chase": {"clientId": "…", "clientSecret": "…"}}` (secret at least 16 characters). */
function parseBankOAuthClients(text: string | undefined): BankOAuthConfig["clients"] {
  if (!text) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const clients = z.record(z.string(), z.object({ clientId: z.string().min(1), clientSecret: z.string().min(16) }).strict()).safeParse(json);
  if (!clients.success) {
    throw new Error(
      'Invalid configuration: BANK_OAUTH_CLIENTS must be a JSON object of institution ID → {"clientId", "clientSecret" (at least 16 characters)}',
    );
  }
  return clients.data;
}
