/**
 * GraphQL over WebSocket (`graphql-transport-ws`, graphql-ws 6 + ws) at /graphql, on the same
 * HTTP server as Apollo Server, with a drain plugin that closes the sockets when the gateway stops.
 * Thin: it only translates between graphql-ws and the request pipeline (src/server/pipeline/),
 * whose steps run here in the same order as over HTTP — as graphql-yoga runs `getEnveloped()`
 * inside `onSubscribe`.
 *
 * - A message may be at most MAX_BODY_BYTES, like an HTTP body (larger: ws closes with 1009).
 * - The bearer token comes in `connection_init` (`{ authorization: "Bearer …" }`); a missing or bad
 *   one closes the socket with 4403 Forbidden (graphql-ws's form of UNAUTHENTICATED), and so does
 *   the token's expiry. The protocol's own codes apply as graphql-ws implements them: 4408 init
 *   timeout, 4401 subscribe before ack, 4409 duplicate id, 4429 second init.
 * - A document named by id: `extensions.documentId` or `extensions.persistedQuery.sha256Hash`,
 *   with `query: ""` (the protocol requires the field).
 * - Only subscription operations run here (BAD_REQUEST otherwise): queries and mutations go over HTTP.
 * - Each event executes with its own context and is on the access log before it is sent (event-stream.ts).
 * - One person holds at most `wsMaxConnectionsPerPerson` open sockets, across instances (connection-cap.ts):
 *   one more closes with 4429 and a reason naming the limit. One socket carries at most
 *   `wsMaxSubscriptionsPerSocket` active subscriptions: one more is refused with BAD_REQUEST.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { getOperationAST, GraphQLError, OperationTypeNode, type DocumentNode, type GraphQLFormattedError } from "graphql";
import { CloseCode, type SubscribePayload } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import type { Server } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import type { GatewayConfig } from "../../config.js";
import { ErrorCode, GatewayError } from "../../errors.js";
import type { GatewayContext } from "../../request/gateway-context.js";
import type { RequestPipeline } from "../pipeline/index.js";
import { createConnectionCap } from "./connection-cap.js";
import { eventStream } from "./event-stream.js";

/** Options for {@link startSubscriptionServer}. */
export interface SubscriptionServerOptions {
  httpServer: Server;
  pipeline: RequestPipeline;
  /** The gateway's error formatter (src/server/format-error.ts). */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /**
   * Where the server's settings come from, read here so that every server built from a
   * configuration (the gateway, bench/baselines/) runs with the same ones: `production` (graphql-ws
   * hides internal error details), `realtime.wsMaxConnectionsPerPerson` (open sockets per person,
   * shared through Redis at `redisUrl` when scaled out) and `realtime.wsMaxSubscriptionsPerSocket`.
   */
  config: Pick<GatewayConfig, "production" | "redisUrl" | "realtime">;
  /** Default `/graphql`. */
  path?: string;
}

/** The running WebSocket server. */
export interface SubscriptionServer {
  /** Add to Apollo Server's plugins: closes every socket when Apollo drains. */
  drainPlugin: ApolloServerPlugin<GatewayContext>;
  dispose(): Promise<void>;
}

type ConnectionParams = { authorization?: unknown };

const badRequest = (message: string) => new GatewayError(ErrorCode.BAD_REQUEST, message);
const TOO_MANY_SOCKETS = (limit: number) => `Too many open connections for this person (limit ${limit})`;

export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { pipeline, formatError, config } = options;
  const connectionLimit = config.realtime.wsMaxConnectionsPerPerson;
  const maxSubscriptionsPerSocket = config.realtime.wsMaxSubscriptionsPerSocket;
  const cap = createConnectionCap(config.redisUrl, connectionLimit);
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path ?? "/graphql", maxPayload: pipeline.maxMessageBytes });
  const authorizationOf = (params: Readonly<ConnectionParams> | undefined) => (typeof params?.authorization === "string" ? params.authorization : undefined);
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e));

  const cleanup = useServer<ConnectionParams>(
    {
      isProd: config.production,
      onConnect: async (ctx) => {
        let userId: string;
        try {
          const identity = await pipeline.authenticate(authorizationOf(ctx.connectionParams));
          closeWhenTokenExpires(ctx.extra.socket, identity.expiresAt);
          userId = identity.userId;
        } catch {
          return false; // → 4403 Forbidden
        }
        const release = await cap.acquire(userId).catch(() => undefined);
        if (!release) {
          ctx.extra.socket.close(CloseCode.TooManyInitialisationRequests, TOO_MANY_SOCKETS(connectionLimit));
          return false;
        }
        ctx.extra.socket.once("close", release);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        if (Object.keys(ctx.subscriptions).length > maxSubscriptionsPerSocket) {
          return [
            new GatewayError(ErrorCode.BAD_REQUEST, `Too many subscriptions on this connection (limit ${maxSubscriptionsPerSocket}); complete one first`, {
              limit: "SUBSCRIPTIONS_PER_SOCKET",
            }),
          ];
        }
        let query: string;
        let contextValue: GatewayContext;
        try {
          query = documentText(pipeline, payload);
          pipeline.checkTokens(query);
        } catch (error) {
          return [refusal(error)];
        }
        try {
          // Authenticated again per subscription (a token that expired since connecting subscribes
          // to nothing), and counted against the rate limits like an HTTP request.
          contextValue = await pipeline.createContext(authorizationOf(ctx.connectionParams));
        } catch (error) {
          return [error instanceof GatewayError ? error : new GatewayError(ErrorCode.UNAUTHENTICATED, "Invalid or expired token")];
        }
        let document: DocumentNode;
        try {
          document = pipeline.parse(query);
        } catch (error) {
          return [refusal(error)];
        }
        const invalid = pipeline.validate(document);
        if (invalid.length > 0) return invalid.map((e) => (e.extensions["code"] ? e : withCode(e, "GRAPHQL_VALIDATION_FAILED")));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [badRequest("Name the operation to run")];
        if (operation.operation !== OperationTypeNode.SUBSCRIPTION)
          return [badRequest("Only subscriptions run over WebSocket; send queries and mutations over HTTP")];
        try {
          pipeline.checkCost({ document, operation, operationName: payload.operationName, variables: payload.variables });
        } catch (error) {
          return [refusal(error)];
        }
        return { schema: pipeline.schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      },
      subscribe: eventStream(pipeline),
      onNext: (_ctx, _id, _payload, _args, result) => ({
        ...(result.data !== undefined ? { data: result.data } : {}),
        ...(result.errors ? { errors: format(result.errors) } : {}),
        ...(result.extensions ? { extensions: result.extensions } : {}),
      }),
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wsServer,
  );

  return {
    drainPlugin: {
      async serverWillStart() {
        return {
          async drainServer() {
            await cleanup.dispose();
            await cap.close();
          },
        };
      },
    },
    async dispose() {
      await cleanup.dispose();
      await cap.close();
    },
  };
}

/** Step 1 over WebSocket: the query text to run (the protocol sends `query: ""` beside a document id). */
function documentText(pipeline: RequestPipeline, payload: SubscribePayload): string {
  const extensions = payload.extensions ?? undefined;
  const documentId = extensions?.["documentId"];
  const resolved = pipeline.trustedDocument({ query: payload.query === "" && documentId !== undefined ? undefined : payload.query, documentId, extensions });
  if (typeof resolved.query !== "string") throw badRequest("Send the query text or the documentId of a trusted document");
  return resolved.query;
}

/** A step's refusal (a GraphQLError: GatewayError, parse error) to answer with; anything else is a bug and is rethrown (graphql-ws closes with 4500). */
function refusal(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  throw error;
}

/** The same error (message, locations) with the gateway's code for its kind. */
const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { source: error.source, positions: error.positions, nodes: error.nodes, extensions: { ...error.extensions, code } });

/** Longest delay a timer takes (about 24.8 days); a later expiry is re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A WebSocket outlives the HTTP request that opened it, so its token's expiry is enforced here:
 * at `exp` the socket closes with 4403 and every subscription on it ends. Reconnecting needs a
 * fresh token.
 */
function closeWhenTokenExpires(socket: WebSocket, expiresAt: Date): void {
  const remaining = expiresAt.getTime() - Date.now();
  const timer = setTimeout(
    () => {
      if (remaining > MAX_TIMER_MS) closeWhenTokenExpires(socket, expiresAt);
      else socket.close(CloseCode.Forbidden, "Token expired");
    },
    Math.max(0, Math.min(remaining, MAX_TIMER_MS)),
  );
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
}
