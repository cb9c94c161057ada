/**
 * GraphQL over WebSocket (`graphql-transport-ws`, graphql-ws 6 + ws) at /graphql, on the same
 * HTTP server as Apollo Server — Apollo's documented pattern, with a drain plugin that closes the
 * sockets when the gateway stops.
 *
 * - The bearer token comes in `connection_init` (`{ authorization: "Bearer …" }`); a missing or bad
 *   one closes the socket with 4403 Forbidden. The protocol's own codes apply as graphql-ws
 *   implements them: 4408 init timeout, 4401 subscribe before ack, 4409 duplicate id, 4429 second init.
 * - Only subscription operations run here: queries and mutations go over HTTP, where every
 *   request-level plugin (limits, rate limits, trusted documents) applies.
 * - Errors pass through the gateway's one error formatter, and each delivery is written to the
 *   access log before it is sent — if it can't be recorded, no data goes out.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { getOperationAST, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import type { Server } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { ErrorCode, GatewayError } from "../errors.js";
import type { Logger } from "../observability/logger.js";
import type { GatewayContext } from "../request/gateway-context.js";
import { createContext } from "../server/context.js";
import { queryLimitOptions } from "../server/limits/query-limits.js";
import type { TrustedDocuments } from "../server/trusted-documents/trusted-document-manifest.js";
import type { GatewayServices } from "../request/gateway-services.js";

/** Options for {@link startSubscriptionServer}. */
export interface SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  services: GatewayServices;
  logger: Logger;
  /** The gateway's error formatter (src/server/format-error.ts). */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Default `/graphql`. */
  path?: string;
  /** Largest incoming WebSocket message in bytes. Default 64 KiB. */
  maxPayload?: number;
  /** The trusted-documents manifest; with `only`, a subscription must be a registered document (as over HTTP). */
  trustedDocuments?: { documents: TrustedDocuments; only: boolean };
}

/** The running WebSocket server. */
export interface SubscriptionServer {
  /** Add to Apollo Server's plugins: closes every socket when Apollo drains. */
  drainPlugin: ApolloServerPlugin<GatewayContext>;
  dispose(): Promise<void>;
}

type ConnectionParams = { authorization?: unknown };

const requestError = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/** The same error (message, locations) with the gateway's code for its kind. */
const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { source: error.source, positions: error.positions, nodes: error.nodes, extensions: { ...error.extensions, code } });

export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { schema, services, logger, formatError } = options;
  // The same document limits as over HTTP (depth, aliases, directives; tokens at parse).
  const rules = [...specifiedRules, ...queryLimitOptions(services.config.limits).validationRules];
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path ?? "/graphql", maxPayload: options.maxPayload ?? 64 * 1024 });
  const authorizationOf = (params: Readonly<ConnectionParams> | undefined) =>
    typeof params?.authorization === "string" ? params.authorization : undefined;

  const cleanup = useServer<ConnectionParams>(
    {
      isProd: services.config.production,
      onConnect: async (ctx) => {
        let identity;
        try {
          identity = await services.verifyToken(authorizationOf(ctx.connectionParams));
        } catch {
          return false; // → 4403 Forbidden
        }
        // Wall time, as jose checks `exp` against it (the gateway clock may be a test's).
        closeWhenTokenExpires(ctx.extra.socket, identity.expiresAt);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const text = trustedText(payload.query, payload.extensions, options.trustedDocuments);
        if (text instanceof GraphQLError) return [text];
        let document: DocumentNode;
        try {
          document = parse(text, { maxTokens: services.config.limits.maxTokens });
        } catch (error) {
          return [error instanceof GraphQLError ? withCode(error, "GRAPHQL_PARSE_FAILED") : requestError("Unreadable query", "GRAPHQL_PARSE_FAILED")];
        }
        const invalid = validate(schema, document, rules);
        if (invalid.length > 0) return invalid.map((e) => (e.extensions["code"] ? e : withCode(e, "GRAPHQL_VALIDATION_FAILED")));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [requestError("Name the operation to run", "BAD_REQUEST")];
        if (operation.operation !== "subscription") {
          return [requestError("Only subscriptions run over WebSocket; send queries and mutations over HTTP", "BAD_REQUEST")];
        }
        let contextValue: GatewayContext;
        try {
          // Verified again per subscription: a token that expired since connecting subscribes to nothing.
          contextValue = await createContext(services, authorizationOf(ctx.connectionParams));
        } catch (error) {
          // Our own refusals (RATE_LIMITED, …) keep their code; anything else is an authentication failure.
          return [error instanceof GatewayError ? error : new GatewayError(ErrorCode.UNAUTHENTICATED, "Invalid or expired token")];
        }
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      },
      onNext: async (_ctx, _id, _payload, args, result) => {
        const context = args.contextValue as GatewayContext;
        const formatted = {
          ...(result.data !== undefined ? { data: result.data } : {}),
          ...(result.errors ? { errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : {}),
        };
        if (context.access.size === 0) return formatted;
        const records = context.access.drain({
          userId: context.identity.userId,
          clientId: context.identity.clientId,
          operationName: getOperationAST(args.document, args.operationName)?.name?.value ?? null,
          requestId: context.requestId,
          at: services.clock.now(),
        });
        try {
          await services.accessLog.append(records);
          return formatted;
        } catch (error) {
          logger.error({ err: error }, "access log write failed; delivery withheld");
          return { errors: [{ message: "The delivery could not be recorded, so no data is sent.", extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] };
        }
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wsServer,
  );

  return {
    drainPlugin: {
      async serverWillStart() {
        return {
          async drainServer() {
            await cleanup.dispose();
          },
        };
      },
    },
    async dispose() {
      await cleanup.dispose();
    },
  };
}

/**
 * The query text to run: the registered document a persisted id names (`extensions.persistedQuery
 * .sha256Hash` or `extensions.documentId`), or the text sent — which in trusted-only mode must itself
 * be a registered document. The same rules as over HTTP (src/server/trusted-documents/).
 */
function trustedText(query: string, extensions: Record<string, unknown> | null | undefined, trusted: SubscriptionServerOptions["trustedDocuments"]): string | GatewayError {
  if (!trusted) return query;
  const persisted = extensions?.["persistedQuery"];
  const id = extensions?.["documentId"] ?? (persisted && typeof persisted === "object" ? (persisted as Record<string, unknown>)["sha256Hash"] : undefined);
  if (id !== undefined) {
    const registered = trusted.documents.get(id);
    if (registered === undefined) return new GatewayError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, "No trusted document has this id");
    if (query !== "" && query !== registered) return new GatewayError(ErrorCode.BAD_REQUEST, "The query text does not match the document id");
    return registered;
  }
  if (trusted.only && !trusted.documents.includes(query)) {
    return new GatewayError(ErrorCode.TRUSTED_DOCUMENT_REQUIRED, "This server runs only registered operations: send the documentId of a trusted document");
  }
  return query;
}

/** Longest delay a timer takes (about 24.8 days); a later expiry is re-armed. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A WebSocket outlives the HTTP request that opened it, so its token's expiry is enforced here:
 * at `exp` the socket closes with 4403 and every subscription on it ends. Reconnecting needs a
 * fresh token.
 */
function closeWhenTokenExpires(socket: WebSocket, expiresAt: Date): void {
  const remaining = expiresAt.getTime() - Date.now();
  const timer = setTimeout(() => {
    if (remaining > MAX_TIMER_MS) closeWhenTokenExpires(socket, expiresAt);
    else socket.close(CloseCode.Forbidden, "Token expired");
  }, Math.max(0, Math.min(remaining, MAX_TIMER_MS)));
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
}
