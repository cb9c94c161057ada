/**
 * Baseline: plain Apollo Server 5 over the plain graphql-js schema, mounted exactly as the
 * gateway mounts its own (express 5, @as-integrations/express5, the same body limit, Apollo's
 * cache-control plugin off), so the comparison isolates the schema layer and consent, not the
 * HTTP stack.
 */
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayServices } from "../../src/request/gateway-services.js";
import { plainContextFactory, resolvers, typeDefs, type PlainContext } from "./plain-schema.js";

/** A started baseline server. */
export interface BaselineServer {
  url: string;
  /** A closure: pass it on detached. */
  close: () => Promise<void>;
}

/** Starts plain Apollo Server on 127.0.0.1 (any free port). */
export async function startPlainApollo(services: GatewayServices): Promise<BaselineServer> {
  const createContext = plainContextFactory(services);
  const app = express();
  app.disable("x-powered-by");
  const httpServer = createServer(app);
  const apollo = new ApolloServer<PlainContext>({
    typeDefs,
    resolvers,
    // As the gateway: no cache-control plugin wrapping every field resolver (it costs ~0.8 ms of a warm dashboard).
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  app.use("/graphql", express.json({ limit: "100kb" }), expressMiddleware(apollo, { context: ({ req }) => createContext(req.get("authorization")) }));
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`,
    close: () => apollo.stop(),
  };
}
