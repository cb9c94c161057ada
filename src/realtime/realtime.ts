/**
 * The real-time part of one gateway instance, built in one place: pub/sub (in-process, or Redis
 * with REDIS_URL), the bank-event router that publishes into it, and the consent-expiry sweep.
 * The webhook intake that feeds the router is built next to it in `src/server/services.ts`
 * (webhooks sit above realtime). Delivery to subscribers lives in
 * src/schema/subscriptions/deliveries.ts and src/server/ws/.
 */
import type { Clock } from "../clock.js";
import type { GatewayConfig } from "../config.js";
import type { ConsentService } from "../consent/consent-service.js";
import type { Logger } from "../observability/logger.js";
import type { ProviderSet } from "../providers/provider-set.js";
import type { Database } from "../store/database.js";
import type { TokenCipher } from "../store/token-cipher.js";
import type { RealtimeMessage } from "./realtime-message.js";
import { BankEventRouter } from "./bank-event-router.js";
import { ConsentExpirySweep } from "./consent-expiry-sweep.js";
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
  /** Told, before its event is published, that a bank says a link's data changed (the upstream cache forgets it). */
  onLinkChanged?: (linkId: string) => void;
}

/** Pub/sub, bank-event router and consent-expiry sweep of one instance. */
export interface Realtime {
  pubsub: PubSub<RealtimeMessage>;
  /** Routes a bank's events to the links that see them and publishes them (fed by the webhook intake). */
  router: BankEventRouter;
  consentExpiry: ConsentExpirySweep;
  /**
   * Stops the sweep, ends subscriptions, closes connections. Settle the webhook intake first: its
   * background publishing goes through this pub/sub.
   */
  close(): Promise<void>;
}

export function createRealtime(deps: RealtimeDeps): Realtime {
  const { config, db, clock, logger } = deps;
  const pubsub = createPubSub<RealtimeMessage>({ redisUrl: config.redisUrl, logger });
  const router = new BankEventRouter({
    db,
    clock,
    providers: deps.providers,
    cipher: deps.cipher,
    accessTokenFor: deps.accessTokenFor,
    pubsub,
    logger,
    onLinkChanged: deps.onLinkChanged,
  });
  const consentExpiry = new ConsentExpirySweep({ db, clock, consents: deps.consents, pubsub, logger, intervalMs: config.realtime.consentExpirySweepMs });
  consentExpiry.start();
  return {
    pubsub,
    router,
    consentExpiry,
    async close() {
      await consentExpiry.stop();
      await pubsub.close();
    },
  };
}
