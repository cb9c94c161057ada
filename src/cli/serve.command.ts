import { join } from "node:path";
import { loadConfig, type GatewayConfig } from "../config.js";
import { DEMO_USER, seedDemo } from "../demo/seed-demo.js";
import { bankCallbackUri, bankNotificationUri, type PersonAtBank } from "../links/bank-authorization.js";
import { devBankClient } from "../links/bank-oauth/bank-oauth-clients.js";
import { createLogger, terminalDestination, type Logger } from "../observability/logger.js";
import { startGateway } from "../server/app.js";
import { waitForSignal } from "./mocks.command.js";
import { startupUrls } from "./startup-urls.js";

export async function serveCommand(): Promise<number> {
  const loaded = loadConfig();
  const logger = createLogger(loaded.logLevel, terminalDestination({ production: loaded.production }));
  const mocks = loaded.bankUrls ? undefined : await startInProcessMocks(logger, loaded);
  // Without IDENTITY_ISSUER, people sign in at the in-process mock identity provider.
  const config =
    mocks && !loaded.web.identity.issuer ? { ...loaded, web: { ...loaded.web, identity: { ...loaded.web.identity, issuer: mocks.identity.issuer } } } : loaded;
  const gateway = await startGateway({ config, bankUrls: config.bankUrls ?? mocks!.urls, logger });
  if (mocks && config.web.identity.issuer === mocks.identity.issuer) {
    mocks.identity.registerClient({
      clientId: config.web.identity.clientId,
      clientSecret: config.web.identity.clientSecret,
      redirectUris: [`${gateway.publicUrl}/signin/callback`],
      name: "Bankgraph",
    });
  }
  if (mocks) registerAtMocks(mocks, new URL(gateway.url).origin, config);
  if (config.demoData && mocks) {
    // alice links every bank through its own pages: the mocks' HTTP driver types her password at the bank, never at Bankgraph.
    const { seeded } = await seedDemo(gateway.services, { alice: await demoPersonAtBank(), gatewayOrigin: new URL(gateway.url).origin });
    logger.info({ seeded }, "demo data ready: npx bankgraph token --user alice --client messenger-demo");
  }
  let stopDemoEvents: (() => void) | undefined;
  if (mocks && config.demoData && config.realtime.demoEventsIntervalMs > 0) {
    // The in-process banks send their webhooks to this gateway, on a timer, so subscriptions show live data.
    const host = ["0.0.0.0", "::", "localhost"].includes(config.host) ? "127.0.0.1" : config.host;
    mocks.events.setWebhookTarget(`http://${host}:${gateway.port}/webhooks`);
    const { startDemoEvents } = await import("../../mocks/events/demo-events.js");
    stopDemoEvents = startDemoEvents(mocks.events, {
      intervalMs: config.realtime.demoEventsIntervalMs,
      banks: Object.keys(mocks.urls),
      receiptBanks: [...mocks.banks.values()].filter((b) => b.definition.receipts).map((b) => b.id),
      onEvent: (institutionId, kind, outcome) =>
        outcome instanceof Error
          ? logger.warn({ institutionId, kind, err: outcome.message }, "demo bank event failed")
          : logger.debug({ institutionId, kind, status: outcome }, "demo bank event sent"),
    });
    logger.info({ everyMs: config.realtime.demoEventsIntervalMs, subscriptions: gateway.url.replace(/^http/, "ws") }, "demo bank events on");
  }
  // Every address a newcomer needs (the mock admin server and the identity provider listen on random ports).
  logger.info(startupUrls(gateway.url, { production: config.production, mocks, demoApp: config.demoData }), "Bankgraph ready");
  await waitForSignal();
  stopDemoEvents?.();
  // Graceful: readiness goes 503, the listener closes, in-flight requests and subscriptions drain
  // (SHUTDOWN_GRACE_MS), then the store closes. A second signal ends the process at once.
  logger.info({ graceMs: config.shutdownGraceMs }, "shutting down: draining in-flight requests");
  try {
    await gateway.close();
  } catch (error) {
    logger.error({ err: error }, "shutdown failed");
    return 1;
  } finally {
    await mocks?.close();
  }
  logger.info("shut down cleanly");
  return 0;
}

/**
 * The mock banks, in this process. Loaded only here, when BANK_URLS is absent, so a gateway
 * pointed at real banks never loads the mocks' code. The store outlives a restart (DATA_DIR or
 * DATABASE_URL), and so must the banks' grants that the stored links hold: each bank keeps its
 * OAuth state under DATA_DIR/mock-banks and listens on the same port every time (PORT+1 … PORT+6;
 * any free port when PORT is 0), since a grant belongs to its issuer.
 */
async function startInProcessMocks(logger: Logger, config: GatewayConfig) {
  const { startMockCluster } = await import("../../mocks/cluster.js");
  const mocks = await startMockCluster({ stateDir: join(config.dataDir, "mock-banks"), basePort: config.port > 0 ? config.port + 1 : 0 });
  logger.info({ banks: Object.keys(mocks.urls) }, "mock banks running in-process");
  return mocks;
}

/**
 * Registers the gateway's callback and its security-event endpoint at each in-process mock bank (as
 * a bank's developer portal would), with the dev client the gateway defaults to outside production.
 */
function registerAtMocks(mocks: NonNullable<Awaited<ReturnType<typeof startInProcessMocks>>>, gatewayOrigin: string, config: GatewayConfig) {
  for (const [institutionId, bank] of mocks.banks) {
    const client = config.bankOAuth.clients[institutionId] ?? devBankClient(institutionId);
    bank.registerClient({
      ...client,
      redirectUris: [bankCallbackUri(gatewayOrigin, institutionId)],
      notificationUri: bankNotificationUri(gatewayOrigin, institutionId),
      name: "Bankgraph",
    });
  }
}

/** alice at the mock banks' own pages, through the mocks' HTTP driver (loaded only with in-process mocks). */
async function demoPersonAtBank(): Promise<PersonAtBank> {
  const { authorizeAsPerson } = await import("../../mocks/oauth/person-at-bank.js");
  const { DEFAULT_PASSWORD } = await import("../../mocks/data/catalog.js");
  return async (authorizationUrl, redirectUri) =>
    (await authorizeAsPerson({ authorizationUrl, redirectUri, username: DEMO_USER, password: DEFAULT_PASSWORD })).location;
}
