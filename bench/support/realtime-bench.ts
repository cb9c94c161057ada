/**
 * What both real-time benches set up: mock banks, one in-process gateway on an in-memory store
 * whose webhooks the banks target, bench users linked at those banks, and graphql-ws clients
 * holding a user's token. One copy, so the latency and the intake bench measure the same gateway.
 */
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { mintDevToken } from "../../src/auth/dev-token.js";
import { loadConfig, type GatewayConfig } from "../../src/config.js";
import { createLogger } from "../../src/observability/logger.js";
import { startGateway, type RunningGateway } from "../../src/server/app.js";
import { BENCH_CLIENT, type BenchUser } from "./population.js";
import { seedBenchUsers } from "./seed.js";

/** A running real-time bench setup. */
export interface RealtimeBench {
  cluster: MockCluster;
  gateway: RunningGateway;
  config: GatewayConfig;
  /** A graphql-ws client on the gateway, signed in as the user for the bench app. */
  clientFor(userId: string): Promise<Client>;
  /** Resolves once the gateway's feed follows `people` persons (every subscription is live). */
  followed(people: number): Promise<void>;
  close(): Promise<void>;
}

/** Options for {@link startRealtimeBench}. */
export interface RealtimeBenchOptions {
  banks: string[];
  users: BenchUser[];
  /** Extra gateway environment (REDIS_URL, limits). */
  env?: Record<string, string>;
}

export async function startRealtimeBench(options: RealtimeBenchOptions): Promise<RealtimeBench> {
  const cluster = await startMockCluster({ banks: options.banks });
  const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", ...options.env });
  const gateway = await startGateway({ config, bankUrls: cluster.urls, overrides: { inMemoryStore: true }, logger: createLogger("silent") });
  await seedBenchUsers(gateway.services, options.users);
  cluster.events.setWebhookTarget(`http://127.0.0.1:${gateway.port}/webhooks`);
  const clients: Client[] = [];
  return {
    cluster,
    gateway,
    config,
    async clientFor(userId) {
      const client = await benchClient(config, gateway.port, userId);
      clients.push(client);
      return client;
    },
    async followed(people) {
      while (gateway.services.realtime.feed.followedPeople < people) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async close() {
      for (const client of clients) await client.dispose();
      await gateway.close();
      await cluster.close();
    },
  };
}

/** A graphql-ws client on a gateway at `port` with `config`, signed in as `userId` for the bench app. */
export async function benchClient(config: GatewayConfig, port: number, userId: string): Promise<Client> {
  const token = await mintDevToken({
    userId,
    clientId: BENCH_CLIENT.id,
    scopes: [],
    secret: config.jwt.secret!,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
  });
  return createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
}

/** Median, p90, p99, min and max of samples in ms. */
export function latencyStats(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { median: q(0.5), p90: q(0.9), p99: q(0.99), min: sorted[0]!, max: sorted.at(-1)! };
}
