/**
 * What both real-time benches set up: mock banks, one in-process gateway on an in-memory store
 * whose webhooks the banks target, bench users linked at those banks, and graphql-ws clients
 * holding a user's token. One copy, so the latency and the intake bench measure the same gateway.
 * The intake soak runs its banks in a child process (bench/realtime/intake-banks.ts), so that
 * what they keep of every event (their data, journal) is not in the heap it watches:
 * {@link startRealtimeGateway} is the gateway half alone.
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
  const gateway = await startRealtimeGateway({ bankUrls: cluster.urls, users: options.users, env: options.env });
  cluster.events.setWebhookTarget(gateway.webhookUrl);
  return {
    ...gateway,
    cluster,
    async close() {
      await gateway.close();
      await cluster.close();
    },
  };
}

/** A running gateway with bench users seeded, for banks that run elsewhere (another process). */
export type RealtimeGateway = Omit<RealtimeBench, "cluster"> & {
  /** Where the banks must send their webhooks. */
  webhookUrl: string;
};

/** One in-process gateway on an in-memory store over banks at `bankUrls`, with `users` linked there. */
export async function startRealtimeGateway(options: Omit<RealtimeBenchOptions, "banks"> & { bankUrls: Record<string, string> }): Promise<RealtimeGateway> {
  const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", ...options.env });
  const gateway = await startGateway({ config, bankUrls: options.bankUrls, overrides: { inMemoryStore: true }, logger: createLogger("silent") });
  await seedBenchUsers(gateway.services, options.users);
  const clients: Client[] = [];
  return {
    gateway,
    config,
    webhookUrl: `http://127.0.0.1:${gateway.port}/webhooks`,
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
