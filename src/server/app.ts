/**
 * The gateway's HTTP server: express 5 + Apollo Server 5 at /graphql, health at /healthz.
 * `startGateway` is what `bankgraph serve` and every end-to-end test start.
 */
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import express from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayConfig } from "../config.js";
import { ErrorCode, GatewayError } from "../errors.js";
import { createLogger, type Logger } from "../observability/logger.js";
import { createReadiness } from "../observability/readiness.js";
import { createRequestObserver } from "../observability/request-observer.js";
import { createPlaygroundRouter } from "../playground/playground.router.js";
import { buildGatewaySchema } from "../schema/build-schema.js";
import type { WebSessionRepository } from "../store/web-session-repository.js";
import { ConnectionsService } from "../connections/connections-service.js";
import { cancelFromSignIn, connectRouter, type ConnectPagesDeps } from "../web/connect/connect.router.js";
import { connectionsRouter } from "../web/connections/connections.router.js";
import { DEMO_CLIENT, DEMO_USER } from "../demo/seed-demo.js";
import { LinkStatus } from "../domain/link.js";
import { demoAppRouter } from "../web/demo-app/demo-app.router.js";
import { moneySentFor, paymentsRouter } from "../web/connections/payments.router.js";
import { receiptRouter } from "../web/connections/receipt.router.js";
import { renewRouter } from "../web/connections/renew.router.js";
import { PasskeyService } from "../passkeys/passkey-service.js";
import { PaymentConfirmation } from "../payments/payment-confirmation.js";
import { passkeysRouter } from "../web/passkeys/passkeys.router.js";
import { paymentConfirmRouter } from "../web/payments/payment-confirm.router.js";
import { createWebRouter } from "../web/web.router.js";
import { bankNotificationRouter } from "../webhooks/bank-notification-route.js";
import { webhookRouter } from "../webhooks/webhook-route.js";
import type { GatewayContext } from "../request/gateway-context.js";
import { executingGateway } from "./execution/apollo-gateway.js";
import { createErrorFormatter } from "./format-error.js";
import { graphqlHttpHandler, isGraphqlPost, type GraphqlHttpHandler } from "./http/graphql-http-handler.js";
import { jwksHandler } from "./http/jwks-route.js";
import { pipelinePlugin } from "./http/pipeline.plugin.js";
import { requestErrorStatusPlugin } from "./http/request-error-status.plugin.js";
import { createRequestPipeline } from "./pipeline/index.js";
import { loadTrustedDocuments, TrustedDocuments } from "./pipeline/trusted-document-manifest.js";
import { refuseOnClosingConnection } from "./refuse-on-closing-connection.js";
import type { GatewayServices, ServiceOverrides } from "../request/gateway-services.js";
import { createServices } from "./services.js";
import { startSubscriptionServer } from "./ws/subscription-server.js";

export interface GatewayOptions {
  config: GatewayConfig;
  /** Institution ID → bank base URL. */
  bankUrls: Record<string, string>;
  overrides?: ServiceOverrides;
  logger?: Logger;
  /** Wrap @requiresScopes fields (default true); false only for benchmarks. */
  enforceConsent?: boolean;
}

export interface RunningGateway {
  url: string;
  /** Where people reach the gateway's pages (PUBLIC_URL, or http://<host>:<port>). */
  publicUrl: string;
  port: number;
  services: GatewayServices;
  httpServer: Server;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  // Before anything opens: a bad manifest stops the start with nothing to clean up.
  const documents = config.trustedDocuments.path ? await loadTrustedDocuments(config.trustedDocuments.path) : new TrustedDocuments();
  const services = await createServices(config, options.bankUrls, { logger, ...options.overrides });
  const observer = createRequestObserver({ logger, metrics: services.metrics });
  const readiness = createReadiness({ db: services.db, logger });
  const schema = await buildGatewaySchema({ enforceConsent: options.enforceConsent });
  const formatError = createErrorFormatter((error) => logger.error({ err: error }, "unexpected error"));
  // The one request policy (src/server/pipeline/), applied below by the HTTP adapters and the WebSocket server.
  const pipeline = createRequestPipeline({
    schema,
    services,
    config,
    documents,
    onAccessLogFailure: (error) => logger.error({ err: error }, "access log write failed; data withheld"),
  });

  const app = express();
  app.disable("x-powered-by");
  app.use(refuseOnClosingConnection);
  // A GraphQL POST goes straight to its handler (set once Apollo has started); the rest to express.
  const graphqlPost: { answer?: GraphqlHttpHandler } = {};
  const httpServer = createServer((req, res) => {
    if (graphqlPost.answer && isGraphqlPost(req)) graphqlPost.answer(req, res);
    else void app(req, res);
  });
  // Subscriptions over WebSocket at /graphql, beside Apollo on the same server (drained with it).
  const subscriptions = startSubscriptionServer({
    httpServer,
    pipeline,
    formatError,
    config,
  });

  const apollo = new ApolloServer<GatewayContext>({
    // graphql-js for a document's first run, then its compiled form (execution/compiled-queries.ts).
    gateway: executingGateway(schema),
    // `bankgraph serve` owns SIGTERM: Apollo's own handler would re-kill the process before the store is closed.
    stopOnTerminationSignals: false,
    introspection: !config.production,
    // Production: no "Did you mean …?" hints that map the schema for a caller.
    hideSchemaDetailsFromClientErrors: config.production,
    // Persisted documents come only from the trusted-documents manifest, never registered by clients.
    persistedQueries: false,
    // Our own check runs first (http/csrf-guard.ts): Apollo's would refuse a GET carrying a bearer token,
    // which no browser can forge, and so refuse urql's default GET queries.
    csrfPrevention: false,
    // Pipeline step 3: Apollo runs graphql-js's specified rules plus these.
    validationRules: [...pipeline.limitRules],
    includeStacktraceInErrorResponses: false,
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      subscriptions.drainPlugin,
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints in this schema; the plugin would wrap every field resolver to compute one.
      // Every answer is `no-store` instead (graphql-http-handler.ts).
      ApolloServerPluginCacheControlDisabled(),
      // Pipeline steps 4 (cost) and 7 (access-log commit).
      pipelinePlugin(pipeline),
      // Request errors under application/json answer 200, as the GraphQL-over-HTTP spec says.
      requestErrorStatusPlugin(),
      observer.plugin,
    ],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", readiness.handler);
  // The public keys that verify consent receipts (src/receipts/) and signed access-log heads.
  app.get("/.well-known/jwks.json", jwksHandler(services.signer));
  app.get("/metrics", async (_req, res) => {
    const { contentType, body } = await services.metrics.expose();
    res.type(contentType).send(body);
  });
  // Bank webhooks read their body raw (the signature covers the exact bytes): no JSON parser here.
  app.use("/webhooks", webhookRouter(services.webhooks, logger));
  // Banks' signed security events (RFC 8935): the body is the SET itself, read as text by its own router.
  app.use("/bank-notifications", bankNotificationRouter(services.bankNotifications, logger));
  // GraphiQL from node_modules at /playground and for browsers at GET /graphql; never in production.
  // It serves only GET (and HEAD): other requests skip it, since a router that matches nothing hands
  // the request on a tick later (setImmediate), and a GraphQL POST must reach its body parser at once.
  if (!config.production) {
    const playground = await createPlaygroundRouter({ config });
    app.use((req, res, next) => (req.method === "GET" || req.method === "HEAD" ? playground(req, res, next) : next()));
  }
  // GraphQL over HTTP (src/server/http/graphql-http-handler.ts): a POST to /graphql is answered by
  // the server's listener (above), before express; every other method reaches the same handler here.
  const graphql = graphqlHttpHandler({
    apollo,
    pipeline,
    observer,
    onUnexpectedError: (error) => logger.error({ err: error }, "unexpected error on /graphql"),
  });
  graphqlPost.answer = graphql;
  app.use("/graphql", (req, res) => graphql(req, res));
  // The pages come after /graphql, which thus never walks their routers: each router that matches
  // nothing defers the request by a tick, and a GraphQL POST's body could stream past its parser.
  // The person's pages (sign-in, /connect …): server-rendered, strict CSP, CSRF-protected forms.
  let publicUrl = config.web.publicUrl ?? config.connect.publicUrl;
  const appName = async (clientId: string) => (await services.apps.find(clientId))?.name ?? clientId;
  const institutionName = (id: string) => services.providers.institutions.find((i) => i.id === id)?.name ?? id;
  const connectPages = (sessions: WebSessionRepository): ConnectPagesDeps => ({
    journey: services.connectSessions,
    sessions,
    clock: services.clock,
    publicUrl: () => publicUrl!,
    bankOrigins: () => Object.values(options.bankUrls),
    institutionName,
    appName,
  });
  // The person's payments, on /connections and a page each.
  const paymentPages = {
    payments: services.personPayments,
    cancel: (paymentId: string, personId: string) => services.payments.cancelByPerson(paymentId, personId),
    appName,
    institutionName,
  };
  // The person's dashboard (/connections): their apps, banks and reads; stopping goes through the services' revoke hooks.
  const connections = new ConnectionsService({
    db: services.db,
    clock: services.clock,
    consents: services.consents,
    linking: services.linking,
    appName,
    institutionName,
  });
  // The person's passkeys and their confirmation of payments (rp ID and origin from the public URL).
  const passkeys = new PasskeyService({ db: services.db, clock: services.clock, publicUrl: () => publicUrl! });
  const confirmation = new PaymentConfirmation({ payments: services.payments, passkeys });
  app.use(
    createWebRouter({
      config,
      db: services.db,
      clock: services.clock,
      cipher: services.cipher,
      logger,
      publicUrl: () => publicUrl!,
      flows: ({ sessions }) => [
        connectRouter(connectPages(sessions)),
        receiptRouter({
          receipts: services.receipts,
          ownsConsent: (consentId, userId) =>
            services.consents.getForUser(consentId, userId).then(
              () => true,
              (error: unknown) => {
                if (error instanceof GatewayError && error.code === ErrorCode.NOT_FOUND) return false;
                throw error;
              },
            ),
          signer: services.signer,
          publicUrl: () => publicUrl!,
        }),
        renewRouter({
          consents: services.consents,
          clock: services.clock,
          appName,
          bankOfLink: async (linkId, userId) => {
            const link = await services.links.forUser(linkId, userId);
            if (!link) return null;
            const name = services.providers.institutions.find((i) => i.id === link.institutionId)?.name ?? link.institutionId;
            return { name, active: link.status === LinkStatus.ACTIVE };
          },
        }),
        paymentsRouter(paymentPages),
        connectionsRouter({ connections, sessions, clock: services.clock, moneySent: (userId, time) => moneySentFor(paymentPages, userId, time) }),
        passkeysRouter({ passkeys }),
        paymentConfirmRouter({ confirmation, payments: services.payments, clock: services.clock, appName, institutionName }),
      ],
      onSignInCancelled: cancelFromSignIn({ journey: services.connectSessions, appName }),
    }),
  );
  // The demo messenger app (an app, not Bankgraph) for trying the journey under `npm start`; never in production.
  if (!config.production && config.demoData) {
    app.use(demoAppRouter({ config, publicUrl: () => publicUrl!, clientId: DEMO_CLIENT.id, userId: DEMO_USER }));
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  publicUrl ??= `http://${host}:${port}`;
  logger.info({ port }, "gateway listening");
  if (!config.connect.publicUrl) services.connectSessions.usePublicUrl(publicUrl);

  return {
    url: `http://${host}:${port}/graphql`,
    publicUrl,
    port,
    services,
    httpServer,
    /**
     * Graceful stop: /readyz turns 503, the listener closes (new connections are refused), in-flight
     * HTTP requests — each awaiting its access-log write — and WebSocket subscriptions drain (up to
     * SHUTDOWN_GRACE_MS), and only then the store closes.
     */
    async close() {
      readiness.markShuttingDown();
      await apollo.stop();
      await services.close();
      logger.info("gateway stopped");
    },
  };
}
