/**
 * The real-time part of one gateway instance, built in one place: pub/sub (in-process, or Redis
 * with REDIS_URL) that carries hints, the event outbox that appends app-facing events to each
 * person's log and hints after commit, the feed that live subscribers follow, the bank-event
 * router that finds whom an event concerns, the consent-expiry sweep and the log's retention.
 * The webhook intake that feeds the outbox is built next to it in `src/server/services.ts`
 * (webhooks sit above realtime). Delivery to subscribers lives in
 * src/schema/subscriptions/deliveries.ts and src/server/ws/.
 */
import type { Clock } from "../clock.js";
import type { GatewayConfig } from "../config.js";
import type { ConsentService } from "../consent/consent-service.js";
import { DeliveryConsents } from "../consent/delivery-consents.js";
import type { Logger } from "../observability/logger.js";
import type { ProviderSet } from "../providers/provider-set.js";
import type { Database } from "../store/database.js";
import type { TokenCipher } from "../store/token-cipher.js";
import type { RealtimeMessage } from "./realtime-message.js";
import { BankEventRouter } from "./bank-event-router.js";
import { ConsentExpirySweep } from "./consent-expiry-sweep.js";
import { EventFeed } from "./event-feed.js";
import { EventOutbox } from "./event-outbox.js";
import { EventRetention } from "./event-retention.js";
import { createPubSub } from "./pubsub/index.js";
import type { PubSub } from "./pubsub/pub-sub.js";

/** What {@link createRealtime} needs. */
export interface RealtimeDeps {
  config: GatewayConfig;
  db: Database;
  clock: Clock;
  providers: ProviderSet;
  cipher: TokenCipher;
  /** The link's usable bank access token, refreshed when about to expire (src/links/bank-oauth/bank-tokens.ts). */
  accessTokenFor?: (linkId: string) => Promise<string>;
  consents: ConsentService;
  logger: Logger;
  /** Fault injection (tests): no hints are published, delivery relies on the head check. */
  dropEventHints?: boolean;
}

/** Pub/sub, outbox, feed, bank-event router, consent-expiry sweep and log retention of one instance. */
export interface Realtime {
  pubsub: PubSub<RealtimeMessage>;
  /** The one place app-facing events are appended to the log (and hinted after commit). */
  outbox: EventOutbox;
  /** What live subscribers follow. */
  feed: EventFeed;
  /** Finds the links a bank's events concern (used by the webhook intake). */
  router: BankEventRouter;
  consentExpiry: ConsentExpirySweep;
  retention: EventRetention;
  /** The consent read each delivery decides on, shared by the deliveries deciding at the same moment. */
  deliveryConsents: DeliveryConsents;
  /** Stops the timers, ends subscriptions, closes connections. Settle the webhook intake first. */
  close(): Promise<void>;
}

export function createRealtime(deps: RealtimeDeps): Realtime {
  const { config, db, clock, logger } = deps;
  const pubsub = createPubSub<RealtimeMessage>({ redisUrl: config.redisUrl, logger });
  const outbox = new EventOutbox({ db, clock, pubsub, logger, dropHints: deps.dropEventHints });
  const feed = new EventFeed({ db, pubsub, logger, headCheckMs: config.realtime.headCheckMs });
  const router = new BankEventRouter({ db, clock, providers: deps.providers, cipher: deps.cipher, accessTokenFor: deps.accessTokenFor, logger });
  const consentExpiry = new ConsentExpirySweep({ db, clock, consents: deps.consents, outbox, logger, intervalMs: config.realtime.consentExpirySweepMs });
  const retention = new EventRetention({ db, clock, logger, retentionDays: config.realtime.eventRetentionDays, intervalMs: config.realtime.retentionSweepMs });
  consentExpiry.start();
  feed.start();
  retention.start();
  return {
    pubsub,
    outbox,
    feed,
    router,
    consentExpiry,
    retention,
    deliveryConsents: new DeliveryConsents(deps.consents),
    async close() {
      await consentExpiry.stop();
      await retention.stop();
      await feed.stop();
      await pubsub.close();
    },
  };
}
