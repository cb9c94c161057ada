/**
 * Event-to-subscriber latency on loopback: a mock bank makes a purchase post and sends its signed
 * webhook; the clock runs from the moment the bank starts sending to the moment the graphql-ws
 * subscriber holds the `transactionPosted` payload (signature check, replay record, routing,
 * pub/sub, consent decision, GraphQL execution, access-log write, WebSocket frame). Events go one
 * at a time, so this is latency, not throughput. Also reports how fast the webhook is answered.
 *
 *   node --import tsx bench/realtime-latency.ts [--events 300] [--warmup 30] [--redis redis://127.0.0.1:6379]
 *
 * With --redis the gateway publishes through Redis (what N instances do) instead of in-process.
 */
import { createClient } from "graphql-ws";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { startMockCluster } from "../mocks/cluster.js";
import { mintDevToken } from "../src/auth/dev-token.js";
import { loadConfig } from "../src/config.js";
import { ConsentPurpose } from "../src/domain/consent.js";
import { createLogger } from "../src/observability/logger.js";
import { userTopic } from "../src/realtime/realtime-message.js";
import { startGateway } from "../src/server/app.js";
import { DEFAULT_PASSWORD } from "../mocks/data/catalog.js";
import { authorizeAsPerson } from "../mocks/oauth/person-at-bank.js";
import { devClientFor } from "../mocks/oauth/registered-clients.js";
import { DAY_MS } from "../src/clock.js";
import { authorizeThroughBank } from "../src/links/bank-authorization.js";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "300" },
    warmup: { type: "string", default: "30" },
    redis: { type: "string" },
  },
});
const EVENTS = Number(values.events);
const WARMUP = Number(values.warmup);
const BANK = "chase";
const USER = "latency-bench";
const CLIENT = "latency-bench-app";

const cluster = await startMockCluster({ banks: [BANK] });
const config = loadConfig({ NODE_ENV: "test", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", ...(values.redis ? { REDIS_URL: values.redis } : {}) });
const gateway = await startGateway({ config, bankUrls: cluster.urls, overrides: { inMemoryStore: true }, logger: createLogger("silent") });
const { services } = gateway;
await services.clients.register({ id: CLIENT, name: "Latency bench", allowedPurposes: Object.values(ConsentPurpose) });
const linked = await authorizeThroughBank(
  services.bankAuthorization,
  async (authorizationUrl, redirectUri) => (await authorizeAsPerson({ authorizationUrl, redirectUri, username: "alice", password: DEFAULT_PASSWORD })).location,
  // The mocks' dev registration of Bankgraph: the driver stops at the redirect, nothing listens there.
  {
    userId: USER,
    institutionId: BANK,
    scopes: ["accounts:read", "transactions:read"],
    expiresAt: new Date(Date.now() + 30 * DAY_MS),
    redirectUri: devClientFor(BANK).redirectUris[0]!,
  },
);
if (linked.status !== "LINKED") throw new Error(`could not link ${BANK}: ${linked.error}`);
const { link } = linked;
const consent = await services.consents.requestConsent({
  userId: USER,
  clientId: CLIENT,
  linkId: link.id,
  scopes: ["accounts:read", "transactions:read"],
  purpose: ConsentPurpose.ACCOUNT_OVERVIEW,
  durationDays: 30,
  historyDays: null,
});
await services.consents.authorize(consent.id, USER);
cluster.events.setWebhookTarget(`http://127.0.0.1:${gateway.port}/webhooks`);

const token = await mintDevToken({
  userId: USER,
  clientId: CLIENT,
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
let arrived: ((at: number) => void) | undefined;
client.subscribe(
  { query: "subscription { transactionPosted { id status amount { amount currency } merchant { name } pendingTransactionId } }" },
  { next: () => arrived?.(performance.now()), error: (error) => console.error(error), complete: () => undefined },
);
while (services.realtime.pubsub.subscriberCount(userTopic(USER)) === 0) await new Promise((resolve) => setTimeout(resolve, 10));

const toSubscriber: number[] = [];
const webhookAnswered: number[] = [];
for (let i = 0; i < WARMUP + EVENTS; i++) {
  const delivered = new Promise<number>((resolve) => (arrived = resolve));
  const started = performance.now();
  const { delivery } = await cluster.events.emit(BANK, { kind: "transaction_posted", amountMinor: 100 + i });
  const answered = performance.now();
  if (delivery.status !== 200) throw new Error(`webhook answered ${delivery.status}`);
  const at = await delivered;
  if (i >= WARMUP) {
    toSubscriber.push(at - started);
    webhookAnswered.push(answered - started);
  }
}

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { median: q(0.5), p90: q(0.9), p99: q(0.99), min: sorted[0]!, max: sorted.at(-1)! };
};
const row = (name: string, s: ReturnType<typeof stats>) =>
  `${name.padEnd(34)} ${[s.median, s.p90, s.p99, s.min, s.max].map((v) => v.toFixed(2).padStart(8)).join(" ")}`;
process.stdout.write(
  [
    `realtime latency, ${EVENTS} events after ${WARMUP} warm-up, pub/sub: ${values.redis ? `Redis (${values.redis})` : "in-process"}, store: PGlite in memory`,
    `${"ms".padEnd(34)} ${["median", "p90", "p99", "min", "max"].map((h) => h.padStart(8)).join(" ")}`,
    row("bank sends → subscriber has it", stats(toSubscriber)),
    row("bank sends → webhook answered", stats(webhookAnswered)),
    "",
  ].join("\n"),
);

await client.dispose();
await gateway.close();
await cluster.close();
