/**
 * "Today's direct publish" of issue 14, rebuilt faithfully: the gateway's delivery path as it was
 * before the event log (git 0766764, src/webhooks/webhook-intake.ts and
 * src/schema/subscriptions/deliveries.ts there), running on today's modules so that only the log
 * differs between it and the gateway:
 *
 *   webhook:   express route with the raw body (as src/webhooks/webhook-route.ts), the bank's
 *              signature and freshness check, its format parsed, each event id recorded once in
 *              the replay ledger (one INSERT each, no transaction), answered 200 — then, in the
 *              background, routed to the links that see the account (the same BankEventRouter
 *              query), each link's cached bank data forgotten (the same upstream cache), and the
 *              event ITSELF published on each person's topic (in-process, or Redis).
 *   delivery:  the gateway's own WebSocket server and request pipeline (authentication, rate
 *              limits, parse, validation, cost), the same subscription fields, consent decided per
 *              event by the same code (`bankEventDeliveries`, the shared consent read), a context
 *              per event, GraphQL execution and the access log committed before the frame is sent
 *              (src/server/ws/event-stream.ts).
 *
 * The one substitution: the subscription fields follow `PreLogFeed` — the person's topic, carrying
 * the published events — instead of the log (`services.realtime.feed`). No sequence check
 * (banks did not number deliveries then), no resume (there was none), nothing in one transaction.
 */
import express from "express";
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayConfig } from "../../src/config.js";
import { isDataEvent, type BankEvent } from "../../src/domain/bank-event.js";
import type { Logger } from "../../src/observability/logger.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { bankEventEntry } from "../../src/realtime/app-event.js";
import type { EventFeed } from "../../src/realtime/event-feed.js";
import { mapEvents } from "../../src/realtime/map-events.js";
import { createPubSub } from "../../src/realtime/pubsub/index.js";
import type { PubSub } from "../../src/realtime/pubsub/pub-sub.js";
import { userTopic } from "../../src/realtime/realtime-message.js";
import type { GatewayServices } from "../../src/request/gateway-services.js";
import { buildGatewaySchema } from "../../src/schema/build-schema.js";
import { createErrorFormatter } from "../../src/server/format-error.js";
import { createRequestPipeline } from "../../src/server/pipeline/index.js";
import { TrustedDocuments } from "../../src/server/pipeline/trusted-document-manifest.js";
import { createServices } from "../../src/server/services.js";
import { startSubscriptionServer } from "../../src/server/ws/subscription-server.js";
import type { LoggedEvent, NewLoggedEvent } from "../../src/store/event-log-repository.js";
import { WebhookEventRepository } from "../../src/store/webhook-event-repository.js";
import { webhookSecretResolver } from "../../src/webhooks/webhook-secrets.js";
import { verifyWebhookSignature } from "../../src/webhooks/webhook-signature.js";

/** A running pre-log gateway. */
export interface PreLogGateway {
  services: GatewayServices;
  port: number;
  /** Where banks send webhooks: `<webhookUrl>/<institution>`. */
  webhookUrl: string;
  /** Resolves once `people` subscriptions follow their person's topic. */
  followed(people: number): Promise<void>;
  close(): Promise<void>;
}

/** Options for {@link startPreLogGateway}. */
export interface PreLogGatewayOptions {
  /** The gateway configuration (REDIS_URL there publishes through Redis, as N instances did). */
  config: GatewayConfig;
  bankUrls: Record<string, string>;
  logger: Logger;
}

/** Largest delivery accepted, as src/webhooks/webhook-route.ts. */
const BODY_LIMIT = "256kb";

export async function startPreLogGateway(options: PreLogGatewayOptions): Promise<PreLogGateway> {
  const { config, logger } = options;
  const services = await createServices(config, options.bankUrls, { logger, inMemoryStore: true });
  // The events themselves go over pub/sub, under a channel prefix of their own (never mixed with a gateway's hints in a shared Redis).
  const pubsub = createPubSub<NewLoggedEvent>({ redisUrl: config.redisUrl, channelPrefix: `bankgraph-bench-prelog:${randomUUID()}:`, logger });
  // The one substitution (see the header): subscription fields follow the published events, not the log.
  const feed = new PreLogFeed(pubsub);
  (services.realtime as { feed: EventFeed }).feed = feed as unknown as EventFeed;
  const schema = await buildGatewaySchema({});
  const formatError = createErrorFormatter((error) => logger.error({ err: error }, "unexpected error"));
  const pipeline = createRequestPipeline({
    schema,
    services,
    config,
    documents: new TrustedDocuments(),
    onAccessLogFailure: (error) => logger.error({ err: error }, "access log write failed; data withheld"),
  });

  const ledger = new WebhookEventRepository(services.db);
  const secretFor = webhookSecretResolver(config.realtime);
  const inFlight = new Set<Promise<void>>();
  const publish = async (institutionId: string, events: BankEvent[]) => {
    const routes = await services.realtime.router.routesOf(institutionId, events);
    for (const [i, event] of events.entries()) {
      if (!isDataEvent(event)) continue;
      for (const { linkId } of routes[i]!) await services.upstreamCache.invalidateLink(linkId);
      await Promise.all(routes[i]!.map(({ userId, linkId }) => pubsub.publish(userTopic(userId), bankEventEntry(userId, linkId, institutionId, event))));
    }
  };

  const app = express();
  app.post("/webhooks/:institution", express.raw({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    const institutionId = String(req.params.institution);
    const hooks = PROVIDER_MODULES.find((m) => m.id === institutionId)?.webhooks;
    const secret = secretFor(institutionId);
    if (!hooks || !secret || !services.providers.get(institutionId)) return void res.status(404).json({ error: "No webhooks for this institution" });
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const problem = verifyWebhookSignature({
      secret,
      timestamp: req.get(hooks.timestampHeader),
      signature: req.get(hooks.signatureHeader),
      rawBody,
      now: services.clock.now(),
    });
    if (problem) return void res.status(401).json({ error: problem });
    let events: BankEvent[];
    try {
      events = hooks.parse(JSON.parse(rawBody.toString("utf8")));
    } catch {
      return void res.status(400).json({ error: "Not an event delivery" });
    }
    const fresh: BankEvent[] = [];
    for (const event of events) {
      if (await ledger.recordOnce(institutionId, event.eventId, services.clock.now())) fresh.push(event);
    }
    res.status(200).json({ accepted: fresh.length, duplicates: events.length - fresh.length });
    if (fresh.length === 0) return;
    const work = publish(institutionId, fresh).catch((error: unknown) => logger.error({ err: error, institutionId }, "webhook events could not be published"));
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  });

  const httpServer = createServer(app);
  const subscriptions = startSubscriptionServer({
    httpServer,
    pipeline,
    formatError,
    config,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", () => resolve()));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    services,
    port,
    webhookUrl: `http://127.0.0.1:${port}/webhooks`,
    async followed(people) {
      while (feed.followedPeople < people) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async close() {
      await Promise.allSettled([...inFlight]);
      await subscriptions.dispose();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await pubsub.close();
      await services.close();
    },
  };
}

/**
 * What subscription fields followed before the log: the person's topic, live only. Each published
 * event is handed on in the shape the log gives (`readAppEvent` reads it); sequence numbers are
 * local counters, as nothing durable numbers them.
 */
class PreLogFeed {
  private seq = 0;
  followedPeople = 0;

  constructor(private readonly pubsub: PubSub<NewLoggedEvent>) {}

  async follow(userId: string, after?: string): Promise<AsyncIterableIterator<LoggedEvent>> {
    if (after !== undefined) throw new Error("the pre-log path has no log to resume from");
    const source = await this.pubsub.subscribe(userTopic(userId));
    this.followedPeople++;
    const events = mapEvents(source, async (entry) => ({
      ...entry,
      occurredAt: new Date(entry.occurredAt),
      seq: ++this.seq,
      eventId: randomUUID(),
      recordedAt: new Date(),
    }));
    const end = events.return!.bind(events);
    events.return = () => {
      this.followedPeople--;
      return end();
    };
    return events;
  }
}
