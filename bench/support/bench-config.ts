/**
 * Configuration every bench target shares: production mode (as deployed), silent logs, and a
 * JWT secret and token-encryption key made fresh for each run — never printed, never written.
 */
import { randomBytes } from "node:crypto";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { loadConfig, type GatewayConfig } from "../../src/config.js";
import { devBankClient } from "../../src/links/bank-oauth/bank-oauth-clients.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";

/** Per-run secrets, handed from the orchestrator to its children over IPC. */
export interface BenchSecrets {
  jwtSecret: string;
  tokenEncryptionKey: string;
}

export function newBenchSecrets(): BenchSecrets {
  return { jwtSecret: randomBytes(32).toString("hex"), tokenEncryptionKey: randomBytes(32).toString("base64") };
}

export interface TargetConfigOptions {
  /** PostgreSQL instead of the embedded store. */
  databaseUrl?: string;
  /** Embedded store in this directory (as `npm start` keeps it) rather than in memory. */
  dataDir?: string;
  /**
   * Keep bank answers for the configured TTL (the default config). Off (TTL 0) for comparisons
   * with the baselines, which must make the same upstream calls. Default false.
   */
  upstreamCache?: boolean;
}

/** Bankgraph's registration at each mock bank (the mocks register the same dev client at start). */
const MOCK_BANK_CLIENTS = Object.fromEntries(PROVIDER_MODULES.map((p) => [p.id, devBankClient(p.id)]));

/** Far above any bench load, so the rate limiter runs (and costs what it costs) but never refuses. */
const UNREACHABLE_RATE_LIMIT = "1000000000";

/** The gateway configuration of a bench target. */
export function benchConfig(secrets: BenchSecrets, options: TargetConfigOptions = {}): GatewayConfig {
  return loadConfig({
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "silent",
    JWT_SECRET: secrets.jwtSecret,
    TOKEN_ENCRYPTION_KEY: secrets.tokenEncryptionKey,
    // Generous: a slow answer under load must show up as latency, not as a failed request.
    BANK_TIMEOUT_MS: "30000",
    // The default bulkhead queue (20 waiting calls per bank on top of 10 in flight) refuses calls
    // at once beyond 30 concurrent users of one bank: a production limit, not what a throughput
    // measurement is about. The in-flight limit stays at its default.
    BANK_BULKHEAD_QUEUE: "10000",
    RATE_LIMIT_PER_USER: UNREACHABLE_RATE_LIMIT,
    RATE_LIMIT_PER_CLIENT: UNREACHABLE_RATE_LIMIT,
    // The bench sends query text; trusted documents (registered operations) are a separate concern.
    TRUSTED_DOCUMENTS_ONLY: "false",
    // Production refuses the implicit dev clients; the bench's banks are the mocks, so their dev registration is configured explicitly.
    BANK_OAUTH_CLIENTS: JSON.stringify(MOCK_BANK_CLIENTS),
    ...(options.upstreamCache ? {} : { UPSTREAM_CACHE_TTL_MS: "0" }),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
    ...extraGatewayEnv(),
  });
}

/** BENCH_GATEWAY_ENV: a JSON object of gateway variables applied last, to measure another configuration. */
function extraGatewayEnv(): Record<string, string> {
  const raw = process.env.BENCH_GATEWAY_ENV;
  if (!raw) return {};
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed !== "object" || parsed === null || Object.values(parsed).some((v) => typeof v !== "string")) {
    throw new Error('BENCH_GATEWAY_ENV must be a JSON object of strings, e.g. {"BANK_BULKHEAD_QUEUE":"20"}');
  }
  return parsed as Record<string, string>;
}

/** A bearer token for the bench app acting for `userId` (no user-present scope). */
export function benchToken(secrets: BenchSecrets, userId: string, clientId: string): Promise<string> {
  const config = benchConfig(secrets);
  return mintDevToken({
    userId,
    clientId,
    secret: secrets.jwtSecret,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
    expiresInSeconds: 6 * 3600,
  });
}
