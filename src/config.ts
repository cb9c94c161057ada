/**
 * Configuration from the environment, validated once at start-up. Every variable, its default and
 * an example are listed in the README's configuration reference; this file is the source of truth.
 */
import { z } from "zod";

const DEV_JWT_SECRET = "bankgraph-dev-secret-do-not-use-in-production-0123456789";
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
  DEMO_DATA: z.enum(["true", "false"]).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
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
  demoData: boolean;
  logLevel: Env["LOG_LEVEL"];
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
  }
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
    demoData: e.DEMO_DATA ? e.DEMO_DATA === "true" : !production,
    logLevel: e.LOG_LEVEL,
  };
}
