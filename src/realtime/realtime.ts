/**
 * The real-time part of one gateway instance, built in one place: pub/sub (in-process, or Redis
 * with REDIS_URL), the webhook intake that feeds it, and the consent-expiry sweep. Delivery to
 * subscribers lives in src/schema/subscriptions/deliveries.ts and src/server/ws/.
 */
import type { Clock } from "../clock.js";
import type { GatewayConfig } from "../config.js";
import type { ConsentService } from "../consent/consent-service.js";
import type { Logger } from "../observability/logger.js";
import type { ProviderModule } from "../providers/provider-module.js";
import type { ProviderSet } from "../providers/provider-set.js";
import { PROVIDER_MODULES } from "../providers/registry.js";
import type { Database } from "../store/database.js";
import type { TokenCipher } from "../store/token-cipher.js";
import { WebhookIntake } from "../webhooks/webhook-intake.js";
import { webhookSecretResolver } from "../webhooks/webhook-secrets.js";
import type { RealtimeMessage } from "./bank-event.js";
import { BankEventRouter } from "./bank-event-router.js";
import { ConsentExpirySweep } from "./consent-expiry-sweep.js";
import { createPubSub, type PubSub } from "./pubsub/pub-sub.js";

/** What {@link createRealtime} needs. */
export interface RealtimeDeps {
  config: GatewayConfig;
  db: Database;
  clock: Clock;
  providers: ProviderSet;
  cipher: TokenCipher;
  consents: ConsentService;
  logger: Logger;
  /** Told, before its event is published, that a bank says a link's data changed (the upstream cache forgets it). */
  onLinkChanged?: (linkId: string) => void;
  /** Default: the registry. */
  modules?: readonly ProviderModule[];
}

/** Pub/sub, webhook intake and consent-expiry sweep of one instance. */
export interface Realtime {
  pubsub: PubSub<RealtimeMessage>;
  webhooks: WebhookIntake;
  consentExpiry: ConsentExpirySweep;
  /** Stops the sweep, finishes background publishing, ends subscriptions, closes connections. */
  close(): Promise<void>;
}

export function createRealtime(deps: RealtimeDeps): Realtime {
  const { config, db, clock, logger } = deps;
  const pubsub = createPubSub<RealtimeMessage>({ redisUrl: config.redisUrl, logger });
  const router = new BankEventRouter({ db, clock, providers: deps.providers, cipher: deps.cipher, pubsub, logger, onLinkChanged: deps.onLinkChanged });
  const webhooks = new WebhookIntake({
    db,
    clock,
    modules: deps.modules ?? PROVIDER_MODULES,
    isConfigured: (id) => deps.providers.get(id) !== undefined,
    secretFor: webhookSecretResolver(config.realtime),
    router,
    logger,
  });
  const consentExpiry = new ConsentExpirySweep({ db, clock, consents: deps.consents, pubsub, logger, intervalMs: config.realtime.consentExpirySweepMs });
  consentExpiry.start();
  return {
    pubsub,
    webhooks,
    consentExpiry,
    async close() {
      await consentExpiry.stop();
      await webhooks.settle();
      await pubsub.close();
    },
  };
}
