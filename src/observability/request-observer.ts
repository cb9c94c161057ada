/**
 * One structured log line and one latency observation per request to /graphql, written when the
 * response has gone out (or the client went away), whatever path the request took: refused by the
 * body parser, refused at authentication, or executed.
 *
 * What is logged: request id, operation name and type, HTTP status, duration, error codes, the
 * calling app. Never the query text, variables or headers — that is where passwords (linkInstitution),
 * bearer tokens and account numbers would be — and never the user.
 *
 * `start`, the first step of the /graphql handler, owns the timing; the record it keeps on the response is carried
 * into the GraphQL context by `observeContext`, where the Apollo plugin fills in what only GraphQL
 * knows. (Not AsyncLocalStorage: on Node 20 it turns on promise hooks, a cost on every promise of
 * every request.)
 */
import { randomUUID } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "./logger.js";
import type { GatewayMetrics } from "./metrics.js";
import { REQUEST_ID } from "./request-id.js";

interface RequestRecord {
  startedAt: number;
  requestId: string;
  clientId?: string;
  operationName?: string | null;
  operationType?: string;
  resolved: boolean;
  errorCodes: string[];
}

/** The HTTP exchange a GraphQL context is created for. */
export interface HttpExchange {
  req: IncomingMessage;
  res: ServerResponse;
}

export interface RequestObserver {
  /** First step on /graphql: starts the clock and settles the request id; logs and measures when the response is done. */
  start(req: IncomingMessage, res: ServerResponse): void;
  /**
   * Wraps Apollo's context function: the context carries the request's record to the plugin, and
   * a refusal while creating it (bad token, rate limit) is logged under its code.
   */
  observeContext<C extends ObservedContext>(create: (args: HttpExchange) => Promise<C>): (args: HttpExchange) => Promise<C>;
  plugin: ApolloServerPlugin<ObservedContext>;
}

/** What the observer reads of the GraphQL context. */
export interface ObservedContext {
  requestId?: string;
  identity?: { clientId?: string };
}

const RECORD = Symbol("requestRecord");

export function createRequestObserver({ logger, metrics }: { logger: Logger; metrics: GatewayMetrics }): RequestObserver {
  const codesOf = (errors: readonly GraphQLFormattedError[] | undefined) =>
    (errors ?? []).map((e) => (typeof e.extensions?.["code"] === "string" ? e.extensions["code"] : "UNKNOWN"));

  const start: RequestObserver["start"] = (req, res) => {
    // Settle the request id here, so that even a request refused before GraphQL runs (bad JSON,
    // bad token) is logged and answered with one; the context then adopts the same id.
    const offered = req.headers["x-request-id"];
    const requestId = typeof offered === "string" && REQUEST_ID.test(offered) ? offered : randomUUID();
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    const record: RequestRecord = { startedAt: performance.now(), requestId, resolved: false, errorCodes: [] };
    (res as unknown as Record<symbol, RequestRecord>)[RECORD] = record;
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const seconds = (performance.now() - record.startedAt) / 1000;
      const operation = record.resolved ? record.operationName : "(unresolved)";
      metrics.request(operation, res.statusCode, seconds);
      for (const code of record.errorCodes) metrics.error(code);
      const line = {
        requestId: record.requestId,
        clientId: record.clientId,
        operationName: record.operationName ?? null,
        operationType: record.operationType,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1e4) / 10,
        errorCodes: record.errorCodes.length > 0 ? record.errorCodes : undefined,
        aborted: aborted || undefined,
      };
      if (res.statusCode >= 500) logger.warn(line, "graphql request failed");
      else logger.info(line, "graphql request");
    };
    res.once("finish", () => finish(false));
    res.once("close", () => finish(!res.writableFinished));
  };

  const recordOf = (carrier: object): RequestRecord | undefined => (carrier as Record<symbol, RequestRecord | undefined>)[RECORD];

  const observeContext: RequestObserver["observeContext"] = (create) => async (args) => {
    const record = recordOf(args.res);
    try {
      const context = await create(args);
      if (record) {
        record.requestId = context.requestId ?? record.requestId;
        record.clientId = context.identity?.clientId;
        (context as unknown as Record<symbol, RequestRecord>)[RECORD] = record;
      }
      return context;
    } catch (error) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      record?.errorCodes.push(typeof code === "string" ? code : "INTERNAL_SERVER_ERROR");
      throw error;
    }
  };

  const plugin: RequestObserver["plugin"] = {
    async requestDidStart({ contextValue }) {
      const record = recordOf(contextValue);
      if (!record) return;
      return {
        async didResolveOperation({ operationName, operation }) {
          record.resolved = true;
          record.operationName = operationName;
          record.operationType = operation?.operation;
        },
        async willSendResponse({ response }) {
          if (response.body.kind === "single") record.errorCodes.push(...codesOf(response.body.singleResult.errors));
        },
      };
    },
  };

  return { start, observeContext, plugin };
}
