/**
 * The shape of the services every request is served with. The types live here, below the schema
 * and the transports that use them; `createServices` (`src/server/services.ts`) builds them from
 * config. Nothing here is the only copy of anything: state lives in the store (and Redis when
 * scaled out).
 */
import type { AppWebhooks } from "../apps/app-webhooks.js";
import type { BankGrantRevocations } from "../links/bank-oauth/bank-grant-revocations.js";
import type { AppRegistry } from "../apps/app-registry.js";
import type { Identity } from "../auth/identity.js";
import type { TokenVerifier } from "../auth/jwt-verifier.js";
import type { UpstreamCache } from "../cache/upstream-cache.js";
import type { Clock } from "../clock.js";
import type { GatewayConfig } from "../config.js";
import type { ConnectSessionService } from "../connect/connect-session-service.js";
import type { ConsentService } from "../consent/consent-service.js";
import type { PaymentService } from "../payments/payment-service.js";
import type { PersonPayments } from "../payments/person-payments.js";
import type { BankAuthorization } from "../links/bank-authorization.js";
import type { LinkingService } from "../links/linking-service.js";
import type { TransactionCursorCodec } from "../loaders/transaction-cursor.js";
import type { Logger } from "../observability/logger.js";
import type { GatewayMetrics } from "../observability/metrics.js";
import type { InstitutionHealth } from "../providers/institution-health.js";
import type { ProviderSet } from "../providers/provider-set.js";
import type { PeriodicSweep } from "../realtime/periodic-sweep.js";
import type { Realtime } from "../realtime/realtime.js";
import type { BankPolicies } from "../resilience/bank-policies.js";
import type { AccessLogHeadSigner } from "../access-log/access-log-head.js";
import type { AccessLogRepository } from "../store/access-log-repository.js";
import type { ClientRepository } from "../store/client-repository.js";
import type { Database } from "../store/database.js";
import type { LinkRepository } from "../store/link-repository.js";
import type { BankTokens } from "../links/bank-oauth/bank-tokens.js";
import type { TokenCipher } from "../store/token-cipher.js";
import type { GatewaySigner } from "../signing/gateway-signer.js";
import type { ConsentReceipts } from "../receipts/consent-receipts.js";
import type { BankNotificationIntake } from "../webhooks/bank-notification-intake.js";
import type { WebhookIntake } from "../webhooks/webhook-intake.js";
import type { WebhookReconciler } from "../webhooks/webhook-reconciler.js";

/**
 * What a request needs of the rate limiter. Stated here so this layer does not depend on the
 * server's implementation (`RateLimiter`, `src/server/rate-limit/rate-limiter.ts`).
 */
export interface RequestRateLimiter {
  /** Counts one request of the caller; throws RATE_LIMITED (429) when over a limit. */
  consume(identity: Identity): Promise<void>;
  /** Releases the counter store (Redis connection). */
  close(): Promise<void>;
}

/** Everything shared by all requests of one gateway instance (built by `createServices`, `src/server/services.ts`). */
export interface GatewayServices {
  config: GatewayConfig;
  clock: Clock;
  db: Database;
  verifyToken: TokenVerifier;
  providers: ProviderSet;
  health: InstitutionHealth;
  /** Each bank's retry, circuit breaker and bulkhead (instance-local). */
  bankPolicies: BankPolicies;
  /** Accounts and balances per link for a short TTL, and single flight of identical bank calls (instance-local). */
  upstreamCache: UpstreamCache;
  /** Prometheus registry and the series the gateway feeds (`GET /metrics`). */
  metrics: GatewayMetrics;
  cipher: TokenCipher;
  /** The gateway's JWS signature (consent receipts, signed access-log heads); keys in the store. */
  signer: GatewaySigner;
  /** Signed consent receipts: issued in every authorizing/renewing/ending transaction, read by their person. */
  receipts: ConsentReceipts;
  /** Keeps the banks' access tokens usable: refreshed by Bankgraph itself, once across instances. */
  bankTokens: BankTokens;
  /** Bankgraph as each bank's OAuth client: begin an authorization, complete it on the bank's callback. */
  bankAuthorization: BankAuthorization;
  /** Signs transaction cursors (key derived from TOKEN_ENCRYPTION_KEY, so all instances agree). */
  transactionCursors: TransactionCursorCodec;
  links: LinkRepository;
  clients: ClientRepository;
  /** Registered apps: registration, listing, removal, and the "is this token's client registered" check. */
  apps: AppRegistry;
  /** Connect sessions: apps ask a person (createConnectSession), Bankgraph's pages drive the journey. */
  connectSessions: ConnectSessionService;
  /** Payment intents: limits, idempotency, confirmation and submission, statuses (src/payments/). */
  payments: PaymentService;
  /** The person's reads of their payments: the list, one with its history (their /connections pages). */
  personPayments: PersonPayments;
  /** Expires unconfirmed intents past their deadline, as events (src/payments/payment-expiry.ts); `sweep()` runs one now. */
  paymentExpiry: PeriodicSweep;
  /** Asks banks about quiet and unanswered payments (src/payments/payment-status-poller.ts); `sweep()` runs one now. */
  paymentStatusPolls: PeriodicSweep;
  /** Each person's access records, hash-chained (docs/access-log.md). */
  accessLog: AccessLogRepository;
  /** Signed heads of the access-log chains: the newest per person, signed on demand when the chain advanced. */
  accessLogHeads: AccessLogHeadSigner;
  consents: ConsentService;
  linking: LinkingService;
  /** Signed webhooks owed to apps (consent.revoked), sent after commit with retries. */
  appWebhooks: AppWebhooks;
  /** Revocations of Bankgraph's grants owed to banks, sent after commit with retries. */
  bankGrantRevocations: BankGrantRevocations;
  /** Requests per user and per client app (in-process, or shared through Redis). */
  rateLimiter: RequestRateLimiter;
  /** Pub/sub (in-process or Redis), bank-event routing, consent-expiry announcements. */
  realtime: Realtime;
  /** Bank webhooks: signature and replay checks, then each event to `realtime.router`. */
  webhooks: WebhookIntake;
  /** Banks' signed security events (a grant revoked at the bank): verify, dedupe, close the link's consents. */
  bankNotifications: BankNotificationIntake;
  /** Pulls missed bank webhooks from each bank's "events since" (at start, on a gap, periodically). */
  webhookReconciler: WebhookReconciler;
  close(): Promise<void>;
}

/** What tests and tools may swap when building the services. */
export interface ServiceOverrides {
  clock?: Clock;
  /** An already open database (tests share one); it is not closed by `close()`. */
  db?: Database;
  /** In-memory PGlite instead of DATA_DIR (tests). */
  inMemoryStore?: boolean;
  /** JWKS for token verification (tests of asymmetric keys). */
  jwks?: { keys: object[] };
  /** Where services log (circuit changes); default a logger at config.logLevel. */
  logger?: Logger;
  /** Fault injection (tests): event hints are never published, as if every one were lost. */
  dropEventHints?: boolean;
}
