/**
 * Everything shared by all requests of one gateway instance, built in one place from config.
 * Nothing here is the only copy of anything: state lives in the store (and Redis when scaled out).
 */
import { systemClock, type Clock } from "../clock.js";
import { createJwtVerifier, type TokenVerifier } from "../auth/jwt-verifier.js";
import type { GatewayConfig } from "../config.js";
import { ConsentService } from "../consent/consent-service.js";
import { LinkingService } from "../links/linking-service.js";
import { InstitutionHealth } from "../providers/institution-health.js";
import { createProviderSet, type ProviderSet } from "../providers/provider-set.js";
import { AccessLogRepository } from "../store/access-log-repository.js";
import { ClientRepository } from "../store/client-repository.js";
import type { Database } from "../store/database.js";
import { LinkRepository } from "../store/link-repository.js";
import { migrate } from "../store/migrate.js";
import { openDatabase } from "../store/open-database.js";
import { createTokenCipher, type TokenCipher } from "../store/token-cipher.js";

export interface GatewayServices {
  config: GatewayConfig;
  clock: Clock;
  db: Database;
  verifyToken: TokenVerifier;
  providers: ProviderSet;
  health: InstitutionHealth;
  cipher: TokenCipher;
  links: LinkRepository;
  clients: ClientRepository;
  accessLog: AccessLogRepository;
  consents: ConsentService;
  linking: LinkingService;
  close(): Promise<void>;
}

export interface ServiceOverrides {
  clock?: Clock;
  /** An already open database (tests share one); it is not closed by `close()`. */
  db?: Database;
  /** In-memory PGlite instead of DATA_DIR (tests). */
  inMemoryStore?: boolean;
  /** JWKS for token verification (tests of asymmetric keys). */
  jwks?: { keys: object[] };
}

export async function createServices(config: GatewayConfig, bankUrls: Record<string, string>, overrides: ServiceOverrides = {}): Promise<GatewayServices> {
  const clock = overrides.clock ?? systemClock;
  const db = overrides.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, inMemory: overrides.inMemoryStore }));
  await migrate(db);
  const health = new InstitutionHealth();
  const providers = createProviderSet({ urls: bankUrls, timeoutMs: config.bankTimeoutMs, onOutcome: health.observe });
  const cipher = createTokenCipher(config.tokenEncryptionKey);
  const consents = new ConsentService({ db, clock });
  const verifyToken = await createJwtVerifier({ ...config.jwt, jwks: overrides.jwks });
  return {
    config,
    clock,
    db,
    verifyToken,
    providers,
    health,
    cipher,
    links: new LinkRepository(db, clock),
    clients: new ClientRepository(db, clock),
    accessLog: new AccessLogRepository(db),
    consents,
    linking: new LinkingService({ db, clock, providers, cipher, consents }),
    async close() {
      if (!overrides.db) await db.close();
    },
  };
}
