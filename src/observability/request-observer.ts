/**
 * One structured log line and one latency observation per request to /graphql, written when the
 * response has gone out (or the client went away), whatever path the request took: refused by the
 * body parser, refused at authentication, or executed.
 *
 * What is logged: request id, operation name and type, HTTP status, duration, error codes, the
 * calling app. Never the query text, variables or headers — that is where passwords (linkInstitution),
 * bearer tokens and account numbers would be — and never the user.
 *
 * The express middleware (`start`) owns the timing; the Apollo plugin fills in what only GraphQL
 * knows, reaching the same record through AsyncLocalStorage (`bind`, mounted after the body
 * parser, which does not keep async context).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler } from "express";
import type { GraphQLFormattedError } from "graphql";
import { REQUEST_ID } from "../server/context.js";
import type { Logger } from "./logger.js";
import type { GatewayMetrics } from "./metrics.js";

interface RequestRecord {
  startedAt: number;
  requestId: string;
  clientId?: string;
  operationName?: string | null;
  operationType?: string;
  resolved: boolean;
  errorCodes: string[];
}

export interface RequestObserver {
  /** First middleware on /graphql: starts the clock, logs and measures when the response is done. */
  start: RequestHandler;
  /** Last middleware before Apollo: makes the record reachable from the plugin. */
  bind: RequestHandler;
  plugin: ApolloServerPlugin<{ requestId?: string; identity?: { clientId?: string } }>;
}

const RECORD = Symbol("requestRecord");

export function createRequestObserver({ logger, metrics }: { logger: Logger; metrics: GatewayMetrics }): RequestObserver {
  const current = new AsyncLocalStorage<RequestRecord>();
  const codesOf = (errors: readonly GraphQLFormattedError[] | undefined) =>
    (errors ?? []).map((e) => (typeof e.extensions?.["code"] === "string" ? e.extensions["code"] : "UNKNOWN"));

  const start: RequestHandler = (req, res, next) => {
    // Settle the request id here, so that even a request refused before GraphQL runs (bad JSON,
    // bad token) is logged and answered with one; the context then adopts the same id.
    const offered = req.get("x-request-id");
    const requestId = offered && REQUEST_ID.test(offered) ? offered : randomUUID();
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    const record: RequestRecord = { startedAt: performance.now(), requestId, resolved: false, errorCodes: [] };
    (res.locals as Record<symbol, RequestRecord>)[RECORD] = record;
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
    next();
  };

  const bind: RequestHandler = (_req, res, next) => {
    const record = (res.locals as Record<symbol, RequestRecord | undefined>)[RECORD];
    if (!record) return next();
    current.run(record, next);
  };

  const plugin: RequestObserver["plugin"] = {
    async contextCreationDidFail({ error }) {
      const record = current.getStore();
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      record?.errorCodes.push(typeof code === "string" ? code : "INTERNAL_SERVER_ERROR");
    },
    async requestDidStart({ contextValue }) {
      const record = current.getStore();
      if (!record) return;
      record.requestId = contextValue.requestId ?? record.requestId;
      record.clientId = contextValue.identity?.clientId;
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

  return { start, bind, plugin };
}
