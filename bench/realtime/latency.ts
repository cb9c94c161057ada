/**
 * Event-to-subscriber latency on loopback: a mock bank makes a purchase post and sends its signed
 * webhook; the clock runs from the moment the bank starts sending to the moment the graphql-ws
 * subscriber holds the `transactionPosted` payload. Events go one at a time, so this is latency,
 * not throughput. Also how fast the webhook is answered.
 *
 * Three paths, each with hints/events in-process or through Redis:
 * - "log": the gateway (signature check, sequence check, routing, ONE transaction with the replay
 *   record and the event-log append, hint over pub/sub, log read, consent decision, GraphQL
 *   execution, access-log write, WebSocket frame);
 * - "pre-log": issue 14's "today's direct publish", the gateway's path before the log,
 *   bench/baselines/pre-log-publish.ts (signature check, replay-ledger insert, answer, routing,
 *   publish of the event itself, consent decision, GraphQL execution, access-log write, frame);
 * - "bare": a floor, bench/baselines/direct-publish.ts (signature check, translation, publish,
 *   GraphQL execution, WebSocket frame; no auth, ledger, routing, consent or access log).
 * Each target has mock banks of its own, so one path's deliveries never show up as a gap in the
 * other's bank sequence.
 */
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { createLogger } from "../../src/observability/logger.js";
import { loadConfig } from "../../src/config.js";
import { startDirectPublish } from "../baselines/direct-publish.js";
import { startPreLogGateway } from "../baselines/pre-log-publish.js";
import { seedBenchUsers } from "../support/seed.js";
import { benchClient, latencyStats, startRealtimeBench } from "../support/realtime-bench.js";

/** Which way an event travels to the subscriber. */
export type LatencyPath = "log" | "pre-log" | "bare";

/** Options for {@link startLatencyTarget}. */
export interface LatencyTargetOptions {
  path: LatencyPath;
  /** Hints (log) or events (pre-log, bare) through this Redis instead of in-process. */
  redisUrl?: string;
}

/** One running path with one subscriber, ready to time events. */
export interface LatencyTarget {
  /** Times `count` events, one at a time (after `warmup` untimed ones). */
  measure(count: number, warmup: number): Promise<RealtimeLatencyResult>;
  close(): Promise<void>;
}

export interface RealtimeLatencyResult {
  toSubscriber: ReturnType<typeof latencyStats>;
  webhookAnswered: ReturnType<typeof latencyStats>;
}

/** Options for {@link measureRealtimeLatency}. */
export interface RealtimeLatencyOptions extends LatencyTargetOptions {
  events: number;
  warmup: number;
}

const BANK = "chase";
const USER = "latency-bench";
/** Events sent (a second apart at most: a loaded machine) before a subscription that never receives one is given up on. */
const LIVE_ATTEMPTS = 40;
const LIVE_ATTEMPT_MS = 1000;
const SUBSCRIPTION = "subscription { transactionPosted { id status amount { amount currency } merchant { name } pendingTransactionId } }";

/** Starts one path, subscribes once, and waits until the subscription is live. */
export async function startLatencyTarget(options: LatencyTargetOptions): Promise<LatencyTarget> {
  if (options.path === "log") {
    const bench = await startRealtimeBench({
      banks: [BANK],
      users: [{ userId: USER, customer: "alice", institutions: [BANK] }],
      env: options.redisUrl ? { REDIS_URL: options.redisUrl } : {},
    });
    const client = await bench.clientFor(USER);
    const timer = subscribe(client);
    await bench.followed(1);
    return {
      measure: (count, warmup) =>
        timeEvents(timer, (i) => bench.cluster.events.emit(BANK, { kind: "transaction_posted", amountMinor: 100 + i }), count, warmup),
      close: () => bench.close(),
    };
  }
  const cluster = await startMockCluster({ banks: [BANK] });
  if (options.path === "pre-log") {
    const config = loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    });
    const gateway = await startPreLogGateway({ config, bankUrls: cluster.urls, logger: createLogger("silent") });
    await seedBenchUsers(gateway.services, [{ userId: USER, customer: "alice", institutions: [BANK] }]);
    cluster.events.setWebhookTarget(gateway.webhookUrl);
    return liveTarget(
      cluster,
      await benchClient(config, gateway.port, USER),
      () => gateway.close(),
      () => gateway.followed(1),
    );
  }
  const direct = await startDirectPublish({ redisUrl: options.redisUrl, logger: createLogger("silent") });
  cluster.events.setWebhookTarget(direct.webhookUrl);
  return liveTarget(cluster, createClient({ url: direct.wsUrl, webSocketImpl: WebSocket }), () => direct.close());
}

/** A path without a log (pre-log, bare): subscribes, sends events until one arrives (graphql-ws acknowledges no subscription, and there is nothing to replay), then it is live. */
async function liveTarget(
  cluster: MockCluster,
  client: Client,
  closeServer: () => Promise<void>,
  /** Resolves once the server follows the subscription, where it can tell. */
  subscribed?: () => Promise<void>,
): Promise<LatencyTarget> {
  const timer = subscribe(client);
  await subscribed?.();
  // Each probe's delivery is waited for until the bank is done with it: on a loaded machine a first
  // attempt can time out, and the bank then retries it with backoff while later events queue behind.
  await timer.untilLive(async () => {
    const { delivery } = await cluster.events.emit(BANK, { kind: "transaction_posted", amountMinor: 99 }, "settled");
    if (delivery.outcome !== "delivered") throw new Error(`the bank's probe webhook was ${delivery.outcome} (HTTP ${delivery.status})`);
  });
  return {
    measure: (count, warmup) => timeEvents(timer, (i) => cluster.events.emit(BANK, { kind: "transaction_posted", amountMinor: 100 + i }), count, warmup),
    async close() {
      await client.dispose();
      await closeServer();
      await cluster.close();
    },
  };
}

/** One path, started, measured once and closed (the CLI, bench/realtime-latency.ts). */
export async function measureRealtimeLatency(options: RealtimeLatencyOptions): Promise<RealtimeLatencyResult> {
  const target = await startLatencyTarget(options);
  try {
    return await target.measure(options.events, options.warmup);
  } finally {
    await target.close();
  }
}

interface ArrivalTimer {
  /** Resolves with the time the next payload arrives. */
  next(): Promise<number>;
  /** Sends events until one arrives (the subscription is then live); `send` resolves once its event was delivered. */
  untilLive(send: () => Promise<unknown>): Promise<void>;
}

function subscribe(client: Client): ArrivalTimer {
  let arrived: ((at: number) => void) | undefined;
  client.subscribe({ query: SUBSCRIPTION }, { next: () => arrived?.(performance.now()), error: (error) => console.error(error), complete: () => undefined });
  const next = () => new Promise<number>((resolve) => (arrived = resolve));
  return {
    next,
    async untilLive(send) {
      // An event published before the subscription is live is lost (no log): give each a moment, then send another.
      for (let attempt = 0; attempt < LIVE_ATTEMPTS; attempt++) {
        const got = next().then(() => true);
        await send();
        if (await Promise.race([got, new Promise<boolean>((resolve) => setTimeout(() => resolve(false), LIVE_ATTEMPT_MS))])) return;
      }
      throw new Error(`no event reached the subscriber after ${LIVE_ATTEMPTS} attempts`);
    },
  };
}

async function timeEvents(
  timer: ArrivalTimer,
  emit: (i: number) => Promise<{ delivery: { status: number } }>,
  count: number,
  warmup: number,
): Promise<RealtimeLatencyResult> {
  const toSubscriber: number[] = [];
  const webhookAnswered: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const delivered = timer.next();
    const started = performance.now();
    const { delivery } = await emit(i);
    const answered = performance.now();
    if (delivery.status !== 200) throw new Error(`webhook answered ${delivery.status}`);
    const at = await delivered;
    if (i >= warmup) {
      toSubscriber.push(at - started);
      webhookAnswered.push(answered - started);
    }
  }
  return { toSubscriber: latencyStats(toSubscriber), webhookAnswered: latencyStats(webhookAnswered) };
}
