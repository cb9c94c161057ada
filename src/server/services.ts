/**
 * Everything shared by all requests of one gateway instance, built in one place from config
 * (its shape, `GatewayServices`, is in `src/request/gateway-services.ts`). Nothing here is the
 * only copy of anything: state lives in the store (and Redis when scaled out).
 */
import { MINUTE_MS, systemClock } from "../clock.js";
import { AppRegistry } from "../apps/app-registry.js";
import { AppWebhooks } from "../apps/app-webhooks.js";
import { createJwtVerifier } from "../auth/jwt-verifier.js";
import { ConnectSessionService } from "../connect/connect-session-service.js";
import type { GatewayConfig } from "../config.js";
import { ConsentService } from "../consent/consent-service.js";
import { PaymentExpiry } from "../payments/payment-expiry.js";
import { PaymentService } from "../payments/payment-service.js";
import { PersonPayments } from "../payments/person-payments.js";
import { PaymentStatusPoller } from "../payments/payment-status-poller.js";
import type { PaymentRail } from "../providers/payment-rail.js";
import { paymentAccountIds } from "../schema/global-id.js";
import { RedisLinkVersions } from "../cache/link-versions.js";
import { UpstreamCache } from "../cache/upstream-cache.js";
import { LinkingService } from "../links/linking-service.js";
import { BankOAuthClients } from "../links/bank-oauth/bank-oauth-clients.js";
import { BankGrantRevocations } from "../links/bank-oauth/bank-grant-revocations.js";
import { BankOAuthService } from "../links/bank-oauth/bank-oauth-service.js";
import { BankTokens } from "../links/bank-oauth/bank-tokens.js";
import { RevokedAtBank } from "../links/revoked-at-bank.js";
import { createLogger } from "../observability/logger.js";
import { GatewayMetrics } from "../observability/metrics.js";
import { BankPolicies } from "../resilience/bank-policies.js";
import { createRealtime } from "../realtime/realtime.js";
import { InstitutionHealth } from "../providers/institution-health.js";
import { createProviderSet } from "../providers/provider-set.js";
import { PROVIDER_MODULES } from "../providers/registry.js";
import { AccessLogHeadSigner } from "../access-log/access-log-head.js";
import { AccessLogRepository } from "../store/access-log-repository.js";
import { AccessLogSignedHeadRepository } from "../store/access-log-signed-head-repository.js";
import { PeriodicSweep } from "../realtime/periodic-sweep.js";
import { ClientRepository } from "../store/client-repository.js";
import { LinkRepository } from "../store/link-repository.js";
import { migrate } from "../store/migrate.js";
import { openDatabase } from "../store/open-database.js";
import { watchGrantWrites } from "../store/grant-writes.js";
import { createTokenCipher } from "../store/token-cipher.js";
import { loadGatewaySigner } from "../signing/gateway-signer.js";
import { consentEventEntry } from "../realtime/app-event.js";
import { ConsentReceipts } from "../receipts/consent-receipts.js";
import { createTransactionCursorCodec } from "../loaders/transaction-cursor.js";
import { BankNotificationIntake } from "../webhooks/bank-notification-intake.js";
import { WebhookIntake, type WebhookAnswer } from "../webhooks/webhook-intake.js";
import { webhookSecretResolver } from "../webhooks/webhook-secrets.js";
import { WebhookReconciler } from "../webhooks/webhook-reconciler.js";
import type { GatewayServices, ServiceOverrides } from "../request/gateway-services.js";
import { createRateLimiter } from "./rate-limit/rate-limiter.js";
import { revocationEffects } from "./revocation-effects.js";
import { keptGrants } from "./kept-grants.js";

export async function createServices(config: GatewayConfig, bankUrls: Record<string, string>, overrides: ServiceOverrides = {}): Promise<GatewayServices> {
  const clock = overrides.clock ?? systemClock;
  // Every committed write to links or consents is known here at once (src/store/grant-writes.ts).
  const db = watchGrantWrites(
    overrides.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, inMemory: overrides.inMemoryStore })),
  );
  await migrate(db);
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const grants = keptGrants(db, config.redisUrl, logger);
  const metrics = new GatewayMetrics();
  const bankPolicies = new BankPolicies(config.resilience, {
    onRetry: metrics.bankRetry,
    onRejected: metrics.bankRejected,
    onCircuitChange: (institutionId, circuit) => logger.warn({ institutionId, circuit }, "bank circuit breaker changed state"),
  });
  const health = new InstitutionHealth((institutionId) => bankPolicies.circuit(institutionId));
  const providers = createProviderSet({
    urls: bankUrls,
    timeoutMs: config.bankTimeoutMs,
    policies: bankPolicies,
    onOutcome: (outcome) => {
      health.observe(outcome);
      metrics.bankCall(outcome);
    },
  });
  metrics.watchCircuits(() => providers.institutions.map((i) => [i.id, bankPolicies.circuit(i.id)] as const));
  // With Redis, a change on any instance stops every instance from serving the link's cached data.
  const linkVersions = config.redisUrl ? new RedisLinkVersions(config.redisUrl) : undefined;
  const upstreamCache = new UpstreamCache({
    ...config.upstreamCache,
    clock,
    onLookup: metrics.cacheLookup,
    versions: linkVersions,
    onVersionsError: (error) => logger.warn({ err: error }, "link versions unavailable; cached bank data not served"),
  });
  const invalidateLink = (linkId: string) =>
    void upstreamCache.invalidateLink(linkId).catch((error: unknown) => logger.warn({ err: error, linkId }, "link version not bumped"));
  metrics.watchCacheSize(() => upstreamCache.size);
  const cipher = createTokenCipher(config.tokenEncryptionKey);
  const signer = await loadGatewaySigner(db, cipher, clock);
  const nameOf = (institutionId: string) => providers.get(institutionId)?.name ?? institutionId;
  const receipts = new ConsentReceipts({ db, signer, bankName: nameOf });
  // Everything that follows a revocation (src/server/revocation-effects.ts): the app's event and
  // webhook and the bank's revocation written in the revoking transaction, the cache purged on
  // every instance after commit. The outboxes are built below (they need services built later).
  const revocation = revocationEffects({
    clock,
    payments: () => payments,
    outbox: () => realtime.outbox,
    appWebhooks: () => appWebhooks,
    bankRevocations: () => bankGrantRevocations,
    invalidateLink,
  });
  const consents = new ConsentService({
    db,
    clock,
    readLinksWithConsents: grants.read,
    onRevoked: (consent) => revocation.afterCommit([consent]),
    onRevokedInTransaction: (tx, consent, change) => revocation.inTransaction(tx, consent, change),
    // The person's signed receipt exists exactly when the change does (src/receipts/).
    onChangeInTransaction: async (tx, consent, change) => {
      await receipts.issueIn(tx, consent, change);
      await revocation.consentEndedInTransaction(tx, consent, change);
    },
    // A renewal too: the app learns the new end date from CONSENT_RENEWED, logged with it.
    onRenewed: (consent) => void realtime.outbox.hintPerson(consent.userId),
    // A lapsed consent ends like a revoked one: cached data forgotten, the bank told if it was the last.
    onExpired: (consents) => revocation.afterCommit(consents),
    onRenewedInTransaction: async (tx, consent) => {
      await realtime.outbox.appendIn(tx, consentEventEntry("CONSENT_RENEWED", consent, clock.now()));
    },
  });
  const bankClients = new BankOAuthClients({ config: config.bankOAuth, issuers: bankUrls, names: nameOf, timeoutMs: config.bankTimeoutMs });
  // The bank ended a grant (its signed notice, or invalid_grant without one): the link and its consents close in one place.
  const revokedAtBank = new RevokedAtBank({ clock, consents, onLinkChanged: invalidateLink, onRevoked: (consents) => revocation.afterCommit(consents) });
  const bankTokens = new BankTokens({ db, clock, cipher, clients: bankClients, names: nameOf, revokedAtBank, onRefresh: metrics.bankTokenRefresh });
  const outboxRetry = {
    pollMs: config.revocationOutbox.pollMs,
    baseDelayMs: config.revocationOutbox.baseDelayMs,
    maxDelayMs: config.revocationOutbox.maxDelayMs,
    maxAttempts: config.revocationOutbox.maxAttempts,
  };
  const appWebhooks = new AppWebhooks({ db, clock, cipher, logger, retry: outboxRetry, timeoutMs: config.revocationOutbox.appWebhookTimeoutMs });
  const bankGrantRevocations = new BankGrantRevocations({ db, cipher, clients: bankClients, providers, logger, retry: outboxRetry });
  appWebhooks.start();
  bankGrantRevocations.start();
  const bankAuthorization = new BankOAuthService({ db, clock, cipher, providers, clients: bankClients, onLinked: invalidateLink });
  const verifyToken = await createJwtVerifier({ ...config.jwt, jwks: overrides.jwks });
  const realtime = createRealtime({
    config,
    db,
    clock,
    providers,
    cipher,
    accessTokenFor: (linkId) => bankTokens.accessTokenFor(linkId),
    consents,
    logger,
    dropEventHints: overrides.dropEventHints,
  });
  // Missed bank webhooks are pulled from each bank's "events since" and fed back through the intake.
  const reconciler = new WebhookReconciler({
    db,
    clock,
    logger,
    modules: PROVIDER_MODULES,
    bankUrlOf: (id) => (providers.get(id) ? bankUrls[id] : undefined),
    secretFor: webhookSecretResolver(config.realtime),
    accept: (institutionId, body): Promise<WebhookAnswer> => webhooks.acceptListed(institutionId, body),
    intervalMs: config.realtime.webhookReconcileMs,
    timeoutMs: config.bankTimeoutMs,
  });
  const webhooks = new WebhookIntake({
    clock,
    modules: PROVIDER_MODULES,
    isConfigured: (id) => providers.get(id) !== undefined,
    secretFor: webhookSecretResolver(config.realtime),
    router: realtime.router,
    outbox: realtime.outbox,
    // A bank event (new transaction, balance change, receipt update, …): what the cache holds for that link is stale.
    // Awaited inside the logging transaction: if the version cannot be bumped, the delivery fails and the bank retries.
    onLinkChanged: (linkId) => upstreamCache.invalidateLink(linkId),
    sequencing: reconciler,
    // A payment's status from the bank moves the payment in the delivery's transaction (forward only).
    onPaymentStatus: async (tx, institutionId, status) => (await payments.applyBankStatusIn(tx, institutionId, status))?.userId ?? null,
    logger,
  });
  const bankNotifications = new BankNotificationIntake({
    db,
    clock,
    clients: bankClients,
    isConfigured: (id) => providers.get(id) !== undefined,
    revokedAtBank,
    logger,
  });
  reconciler.start();
  const clients = new ClientRepository(db, clock);
  const apps = new AppRegistry({ clients, cipher });
  if (config.connect.clientsFile) {
    const registered = await apps.applyFile(config.connect.clientsFile);
    logger.info({ clients: registered }, "apps registered from CLIENTS_FILE");
  }
  const connectSessions = new ConnectSessionService({
    db,
    clock,
    apps,
    consents,
    bankAuthorization,
    institutions: providers.institutions,
    outbox: realtime.outbox,
    sessionMinutes: config.connect.sessionMinutes,
    publicUrl: config.connect.publicUrl ?? `http://localhost:${config.port}`,
  });
  // Each configured bank's payment rail, over the same HTTP client (and policies) as its reads.
  const paymentRails = new Map<string, PaymentRail>();
  for (const module of PROVIDER_MODULES) {
    const bank = providers.bank(module.id);
    if (bank && module.payments) paymentRails.set(module.id, module.payments({ http: bank.http }));
  }
  const payments = new PaymentService({
    db,
    clock,
    outbox: () => realtime.outbox,
    providers,
    railFor: (institutionId) => paymentRails.get(institutionId),
    accessTokenFor: (linkId) => bankTokens.accessTokenFor(linkId),
    publicUrl: () => connectSessions.baseUrl,
    confirmationMinutes: config.paymentConfirmationMinutes,
    accounts: paymentAccountIds,
  });
  // Idempotency keys are kept 7 days (any instance may prune: deleting twice is harmless).
  const idempotencyPruning = new PeriodicSweep({
    name: "payment idempotency keys",
    intervalMs: 60 * MINUTE_MS,
    logger,
    sweepOnce: () => payments.pruneIdempotencyKeys(),
  });
  idempotencyPruning.start();
  // Unconfirmed intents past their deadline become EXPIRED events; quiet payments are asked about at their bank.
  const expiry = new PaymentExpiry({ db, clock, outbox: () => realtime.outbox });
  const paymentExpiry = new PeriodicSweep({
    name: "payment expiry",
    intervalMs: config.paymentSweeps.intervalMs,
    logger,
    sweepOnce: () => expiry.sweepOnce(),
  });
  paymentExpiry.start();
  const statusPoller = new PaymentStatusPoller({
    db,
    clock,
    payments,
    railFor: (institutionId) => paymentRails.get(institutionId),
    accessTokenFor: (linkId) => bankTokens.accessTokenFor(linkId),
    quietMs: config.paymentSweeps.statusQuietMs,
    logger,
  });
  const paymentStatusPolls = new PeriodicSweep({
    name: "payment status polls",
    intervalMs: config.paymentSweeps.intervalMs,
    logger,
    sweepOnce: () => statusPoller.sweepOnce(),
  });
  paymentStatusPolls.start();
  // Signed heads of the access log's chains: every ACCESS_LOG_HEAD_SIGN_MS for the chains that
  // advanced (on every instance; a tip signed twice at once is stored once), and on demand.
  const accessLogHeads = new AccessLogHeadSigner({ heads: new AccessLogSignedHeadRepository(db), signer, clock });
  const headSigning = new PeriodicSweep({
    name: "access-log head signing",
    intervalMs: config.accessLogHeadSignMs,
    logger,
    sweepOnce: () => accessLogHeads.signAdvanced(),
  });
  headSigning.start();
  const rateLimiter = createRateLimiter(config.rateLimit, config.redisUrl, clock, (error) =>
    logger.warn({ err: error }, "rate-limit store unavailable; request let through"),
  );
  return {
    config,
    clock,
    db,
    verifyToken,
    providers,
    health,
    bankPolicies,
    upstreamCache,
    metrics,
    cipher,
    signer,
    receipts,
    bankTokens,
    bankAuthorization,
    transactionCursors: createTransactionCursorCodec(config.tokenEncryptionKey),
    links: new LinkRepository(db, clock),
    clients,
    apps,
    connectSessions,
    payments,
    personPayments: new PersonPayments({ db, clock }),
    paymentExpiry,
    paymentStatusPolls,
    accessLog: new AccessLogRepository(db),
    accessLogHeads,
    consents,
    linking: new LinkingService({
      db,
      clock,
      providers,
      cipher,
      consents,
      onLinkRemoved: (linkId, userId) => revocation.afterUnlink(linkId, userId),
      onLinkRemovingInTransaction: (tx, linkId) => revocation.linkRemovedInTransaction(tx, linkId),
    }),
    appWebhooks,
    bankGrantRevocations,
    realtime,
    webhooks,
    bankNotifications,
    webhookReconciler: reconciler,
    rateLimiter,
    async close() {
      // Deliveries being handled append through realtime's outbox: finish them first.
      await reconciler.stop();
      await webhooks.settle();
      await bankNotifications.settle();
      await headSigning.stop();
      await idempotencyPruning.stop();
      await paymentExpiry.stop();
      await paymentStatusPolls.stop();
      await appWebhooks.close();
      await bankGrantRevocations.close();
      await realtime.close();
      await rateLimiter.close();
      await linkVersions?.close();
      await grants.close();
      if (!overrides.db) await db.close();
    },
  };
}
