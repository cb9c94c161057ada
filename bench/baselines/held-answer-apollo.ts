/**
 * The warm floor (issue 15, item 4): what the fixed stack — Apollo Server 5 and graphql-js on
 * node's HTTP server — costs to answer the warm dashboard when nothing else is left to do. Mounted
 * as the gateway mounts Apollo for a POST (no express, the cache-control plugin off). The first
 * request of each caller for each query is answered by the plain schema (plain-schema.ts: the
 * gateway's verifier, loaders, adapters and paging), and its data is then held: every later
 * request parses, validates and executes the same document over the same types and scalars, each
 * field read from the held answer, and serializes the same JSON.
 *
 * What it leaves out is everything the gateway does on a warm request besides GraphQL over HTTP:
 * authenticate the caller, open the links' loaders and read their cached pages, decide consent per
 * field, build and sign cursors and global ids, append to the access log. So a warm dashboard
 * cannot cost less than this, whatever the gateway's own code does.
 */
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { GraphQLFieldResolver } from "graphql";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { GatewayServices } from "../../src/request/gateway-services.js";
import { headerMapOf } from "../../src/server/http/graphql-http-handler.js";
import type { BaselineServer } from "./plain-apollo.js";
import { plainContextFactory, resolvers, typeDefs, type PlainContext } from "./plain-schema.js";

/** A request's context: the answer held for its caller and query. */
interface HeldContext {
  held: Record<string, unknown>;
}

/** Every field, the root's included, is its response key in the held answer. */
const readHeld: GraphQLFieldResolver<Record<string, unknown> | undefined, HeldContext> = (source, _args, context, info) =>
  (source ?? context.held)[info.path.key as string];

/** Starts the warm floor on 127.0.0.1 (any free port). */
export async function startHeldAnswerApollo(services: GatewayServices): Promise<BaselineServer> {
  const plain = new ApolloServer<PlainContext>({ typeDefs, resolvers });
  await plain.start();
  const plainContext = plainContextFactory(services);
  const held = new Map<string, Record<string, unknown>>();
  const heldAnswer = async (authorization: string | undefined, query: string): Promise<Record<string, unknown>> => {
    const key = `${authorization ?? ""}\n${query}`;
    let data = held.get(key);
    if (!data) {
      const { body } = await plain.executeOperation({ query }, { contextValue: await plainContext(authorization) });
      const result = body.kind === "single" ? body.singleResult : undefined;
      if (!result?.data || result.errors?.length) throw new Error(`the plain schema did not answer: ${result?.errors?.[0]?.message ?? "no data"}`);
      data = result.data;
      held.set(key, data);
    }
    return data;
  };

  const apollo = new ApolloServer<HeldContext>({
    // Same types and scalars as the plain schema; only the field resolvers differ.
    typeDefs,
    resolvers: { DateTimeISO: resolvers.DateTimeISO, LocalDate: resolvers.LocalDate },
    fieldResolver: readHeld,
    // As the gateway: no cache-control plugin wrapping every field resolver.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  // As the gateway answers a GraphQL POST: on node's request, no express (src/server/http/graphql-http-handler.ts).
  const httpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { query: string };
        const answer = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: "POST", headers: headerMapOf(req), search: "", body },
          context: async () => ({ held: await heldAnswer(req.headers.authorization, body.query) }),
        });
        if (answer.body.kind !== "complete") throw new Error("the warm floor answers in one piece");
        for (const [name, value] of answer.headers) res.setHeader(name, value);
        res.statusCode = answer.status ?? 200;
        res.setHeader("content-length", Buffer.byteLength(answer.body.string));
        res.end(answer.body.string);
      })().catch((error: unknown) => res.writeHead(500).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`,
    close: async () => {
      await new Promise((resolve) => httpServer.close(resolve));
      await apollo.stop();
      await plain.stop();
    },
  };
}
