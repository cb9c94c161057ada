/**
 * The gateway's HTTP server: express 5 + Apollo Server 5 at /graphql, health at /healthz.
 * `startGateway` is what `bankgraph serve` and every end-to-end test start.
 */
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayConfig } from "../config.js";
import { createLogger, type Logger } from "../observability/logger.js";
import { buildGatewaySchema } from "../schema/build-schema.js";
import { createContext, type GatewayContext } from "./context.js";
import { createErrorFormatter } from "./format-error.js";
import { accessLogPlugin } from "./plugins/access-log.plugin.js";
import { createServices, type GatewayServices, type ServiceOverrides } from "./services.js";

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
  port: number;
  services: GatewayServices;
  httpServer: Server;
  close(): Promise<void>;
}

const BODY_LIMIT = "100kb";

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const services = await createServices(config, options.bankUrls, options.overrides);
  const schema = await buildGatewaySchema({ enforceConsent: options.enforceConsent });

  const app = express();
  app.disable("x-powered-by");
  const httpServer = createServer(app);

  const apollo = new ApolloServer<GatewayContext>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter((error) => logger.error({ err: error }, "unexpected error")),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      accessLogPlugin((error) => logger.error({ err: error }, "access log write failed")),
    ],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.use(
    "/graphql",
    express.json({ limit: BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const context = await createContext(services, req.get("authorization"), req.get("x-request-id"));
        res.setHeader("x-request-id", context.requestId);
        return context;
      },
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  logger.info({ port }, "gateway listening");

  return {
    url: `http://${host}:${port}/graphql`,
    port,
    services,
    httpServer,
    async close() {
      await apollo.stop();
      await services.close();
    },
  };
}
