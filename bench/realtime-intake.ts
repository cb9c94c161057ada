/**
 * Sustained webhook intake with 1,000 live subscribers on one gateway: 100 people (each linked as
 * the same mock-bank customer, so every event concerns all of them and is logged once per person)
 * hold one socket with 10 `transactionPosted` subscriptions each. The mock bank posts purchases
 * and sends their webhooks as fast as `--concurrency` senders allow, for `--seconds`. Reports
 * events accepted per second, deliveries per second (each event → 1,000 subscribers), and the
 * gateway's memory every sample, to show it stays flat.
 *
 *   node --expose-gc --import tsx bench/realtime-intake.ts [--seconds 300] [--people 100] [--subs 10] [--concurrency 4]
 */
import { createClient, type Client } from "graphql-ws";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { startMockCluster } from "../mocks/cluster.js";
import { mintDevToken } from "../src/auth/dev-token.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/observability/logger.js";
import { startGateway } from "../src/server/app.js";
import { BENCH_CLIENT } from "./support/population.js";
import { seedBenchUsers } from "./support/seed.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "300" },
    people: { type: "string", default: "100" },
    subs: { type: "string", default: "10" },
    concurrency: { type: "string", default: "4" },
    sample: { type: "string", default: "10" },
  },
});
const SECONDS = Number(values.seconds);
const PEOPLE = Number(values.people);
const SUBS = Number(values.subs);
const CONCURRENCY = Number(values.concurrency);
const SAMPLE_S = Number(values.sample);
const BANK = "chase";

const cluster = await startMockCluster({ banks: [BANK] });
const config = loadConfig({
  NODE_ENV: "test",
  PORT: "0",
  HOST: "127.0.0.1",
  LOG_LEVEL: "silent",
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: String(SUBS),
  RATE_LIMIT_PER_USER: "0",
  RATE_LIMIT_PER_CLIENT: "0",
});
const gateway = await startGateway({ config, bankUrls: cluster.urls, overrides: { inMemoryStore: true }, logger: createLogger("silent") });
const users = Array.from({ length: PEOPLE }, (_, i) => ({ userId: `intake-${i}`, customer: "alice", institutions: [BANK] }));
await seedBenchUsers(gateway.services, users);
cluster.events.setWebhookTarget(`http://127.0.0.1:${gateway.port}/webhooks`);

let delivered = 0;
const clients: Client[] = [];
for (const { userId } of users) {
  const token = await mintDevToken({
    userId,
    clientId: BENCH_CLIENT.id,
    scopes: [],
    secret: config.jwt.secret!,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
  });
  const client = createClient({
    url: `ws://127.0.0.1:${gateway.port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  clients.push(client);
  for (let s = 0; s < SUBS; s++) {
    client.subscribe(
      { query: "subscription { transactionPosted { id amount { amount currency } } }" },
      { next: () => void delivered++, error: (error) => console.error(error), complete: () => undefined },
    );
  }
}
// Every subscriber is live once the feed follows every person with every subscription.
while (gateway.services.realtime.feed.followedPeople < PEOPLE) await new Promise((resolve) => setTimeout(resolve, 20));

const gc = (globalThis as { gc?: () => void }).gc;
const memory = () => {
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rssMb: rss / 2 ** 20, heapMb: heapUsed / 2 ** 20 };
};
let accepted = 0;
let stop = false;
const senders = Array.from({ length: CONCURRENCY }, async () => {
  while (!stop) {
    const { delivery } = await cluster.events.emit(BANK, { kind: "transaction_posted", amountMinor: 100 + (accepted % 1000) });
    if (delivery.status === 200) accepted++;
  }
});
const started = performance.now();
const lines: string[] = [];
let last = { at: started, accepted: 0, delivered: 0 };
const first = memory();
lines.push(`t=0s heap ${first.heapMb.toFixed(1)} MB rss ${first.rssMb.toFixed(1)} MB`);
while (performance.now() - started < SECONDS * 1000) {
  await new Promise((resolve) => setTimeout(resolve, SAMPLE_S * 1000));
  const now = performance.now();
  const m = memory();
  const seconds = (now - last.at) / 1000;
  lines.push(
    `t=${((now - started) / 1000).toFixed(0)}s events/s ${((accepted - last.accepted) / seconds).toFixed(1)} deliveries/s ${((delivered - last.delivered) / seconds).toFixed(0)} heap ${m.heapMb.toFixed(1)} MB rss ${m.rssMb.toFixed(1)} MB`,
  );
  last = { at: now, accepted, delivered };
}
stop = true;
await Promise.all(senders);
const total = (performance.now() - started) / 1000;
process.stdout.write(
  [
    `realtime intake, ${PEOPLE} people × ${SUBS} subscriptions = ${PEOPLE * SUBS} live subscribers, ${CONCURRENCY} senders, ${total.toFixed(0)} s, store: PGlite in memory, gc: ${gc ? "forced before each sample" : "not exposed"}`,
    ...lines,
    `total: ${accepted} events accepted (${(accepted / total).toFixed(1)}/s), ${delivered} deliveries (${(delivered / total).toFixed(0)}/s)`,
    "",
  ].join("\n"),
);
for (const client of clients) await client.dispose();
await gateway.close();
await cluster.close();
