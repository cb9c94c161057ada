/**
 * The gateway as the bench runs it: a bench configuration (bench-config.ts), a silent logger, its
 * embedded store in memory or in the configuration's data directory, seeded with `users`. The
 * bench's child targets (target-process.ts) and the in-process tools start it here alike.
 */
import type { GatewayConfig } from "../../src/config.js";
import { createLogger } from "../../src/observability/logger.js";
import { startGateway, type RunningGateway } from "../../src/server/app.js";
import type { BenchUser } from "./population.js";
import { seedBenchUsers } from "./seed.js";

export interface BenchGatewayOptions {
  config: GatewayConfig;
  bankUrls: Record<string, string>;
  users: readonly BenchUser[];
  /** The embedded store in memory rather than in `config.dataDir`. */
  inMemoryStore: boolean;
  enforceConsent: boolean;
}

export async function startBenchGateway({ config, bankUrls, users, inMemoryStore, enforceConsent }: BenchGatewayOptions): Promise<RunningGateway> {
  const gateway = await startGateway({
    config,
    bankUrls,
    overrides: { inMemoryStore },
    logger: createLogger("silent"),
    enforceConsent,
  });
  try {
    await seedBenchUsers(gateway.services, users);
  } catch (error) {
    await gateway.close();
    throw error;
  }
  return gateway;
}
