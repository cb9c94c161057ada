/**
 * /graphql over HTTP: the gateway's own Apollo Server integration on node's request and response.
 * It does what `@as-integrations/express5` does (hand method, headers, query string and parsed body
 * to `executeHTTPGraphQLRequest`, write back its status, headers and body) after the gateway's own
 * steps, in this order: request id and log (observer), `no-store`, CSRF, body, trusted document
 * and tokens (pipeline steps 0–2); Apollo then runs steps 3–7.
 *
 * Why not express: a GraphQL POST is answered by the server's request listener before express's
 * router sees it (app.ts). The router, its layers and express's request/response decoration were
 * a quarter of the CPU of a `{ __typename }` (2026-12-04 profile) for nothing a GraphQL request
 * needs. Express still mounts this same handler for every other method (GET queries), behind the
 * playground, so there is one implementation of the steps.
 */
import { HeaderMap, type ApolloServer } from "@apollo/server";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ErrorCode, GatewayError } from "../../errors.js";
import type { RequestObserver } from "../../observability/request-observer.js";
import type { GatewayContext } from "../../request/gateway-context.js";
import type { RequestPipeline } from "../pipeline/index.js";
import { droppedOnClosingConnection } from "../refuse-on-closing-connection.js";
import { cannotBeForged, forgeableRequestError } from "./csrf-guard.js";
import { passDocumentGate, type RequestWithBody } from "./document-gate.js";
import { jsonBodyReader } from "./json-body.js";
import { sendRequestError } from "./send-request-error.js";

export interface GraphqlHttpDeps {
  apollo: ApolloServer<GatewayContext>;
  pipeline: RequestPipeline;
  observer: RequestObserver;
  /** Called with what fails unexpectedly (not the client's fault); the client gets a 500 without details. */
  onUnexpectedError: (error: unknown) => void;
}

/** A request listener for /graphql. */
export type GraphqlHttpHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** True when `req` is a POST to exactly /graphql: the requests the server listener hands straight to the handler. */
export function isGraphqlPost(req: IncomingMessage): boolean {
  if (req.method !== "POST") return false;
  const url = req.url ?? "";
  return url === "/graphql" || url.startsWith("/graphql?");
}

export function graphqlHttpHandler({ apollo, pipeline, observer, onUnexpectedError }: GraphqlHttpDeps): GraphqlHttpHandler {
  const readBody = jsonBodyReader(pipeline.maxMessageBytes);
  // Pipeline step 5.
  const context = observer.observeContext(async ({ req, res }) => {
    const created = await pipeline.createContext(req.headers.authorization, headerOf(req, "x-request-id"));
    res.setHeader("x-request-id", created.requestId);
    return created;
  });

  const handle = async (req: RequestWithBody, res: ServerResponse): Promise<void> => {
    observer.start(req, res);
    // A person's balances and transactions: no browser, proxy or CDN keeps a copy.
    res.setHeader("cache-control", "no-store");
    // No request a page on another site could forge reaches anything below.
    if (!cannotBeForged(req)) return sendRequestError(req, res, forgeableRequestError(), 400);
    const refused = await readBody(req, res);
    if (refused) return sendRequestError(req, res, refused.error, refused.status);
    try {
      passDocumentGate(pipeline, req);
    } catch (error) {
      if (error instanceof GatewayError) return sendRequestError(req, res, error);
      throw error;
    }
    const answer = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method!.toUpperCase(), headers: headerMapOf(req), search: searchOf(req), body: req.body },
      context: () => context({ req, res }),
    });
    for (const [name, value] of answer.headers) res.setHeader(name, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === "complete") {
      res.setHeader("content-length", Buffer.byteLength(answer.body.string));
      res.end(answer.body.string);
      return;
    }
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };

  return (req, res) => {
    if (droppedOnClosingConnection(req)) return;
    handle(req, res).catch((error: unknown) => {
      onUnexpectedError(error);
      if (res.headersSent) return void res.destroy();
      // Masked as the error formatter masks it (src/server/format-error.ts): nothing of the cause is sent.
      sendRequestError(req, res, new GatewayError(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error"), 500);
    });
  };
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The request's headers as Apollo reads them (a repeated header joined with ", "). */
export function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

function searchOf(req: IncomingMessage): string {
  const url = req.url ?? "";
  const at = url.indexOf("?");
  return at === -1 ? "" : url.slice(at);
}
