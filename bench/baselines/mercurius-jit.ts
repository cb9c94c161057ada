/**
 * Baseline: fastify + mercurius with graphql-jit (queries compiled after their first run) over
 * the same plain schema and resolvers as plain-apollo.ts: where a different, leaner stack stands.
 */
import Fastify from "fastify";
import mercurius from "mercurius";
import type { AddressInfo } from "node:net";
import type { GatewayServices } from "../../src/request/gateway-services.js";
import type { BaselineServer } from "./plain-apollo.js";
import { plainContextFactory, resolvers, typeDefs } from "./plain-schema.js";

/** Starts fastify + mercurius (JIT after one run) on 127.0.0.1 (any free port). */
export async function startMercuriusJit(services: GatewayServices): Promise<BaselineServer> {
  const createContext = plainContextFactory(services);
  const app = Fastify({ logger: false, bodyLimit: 100 * 1024 });
  await app.register(mercurius, {
    schema: typeDefs,
    resolvers: resolvers as never,
    jit: 1,
    context: (request) => createContext(request.headers.authorization) as Promise<never>,
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/graphql`,
    close: () => app.close(),
  };
}
