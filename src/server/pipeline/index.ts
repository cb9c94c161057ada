/**
 * THE request policy: every GraphQL request — HTTP GET, HTTP POST and WebSocket — passes these
 * steps, each defined once in this folder as a transport-neutral function. The transports only
 * translate (graphql-yoga's `getEnveloped()` inside graphql-ws `onSubscribe`, and graphql-http's
 * shared `HandlerOptions`, are the models):
 *
 *   step                        file                          HTTP (src/server/http/)         WebSocket (src/server/ws/)
 *   0 message size              (transport)                   json-body.ts: MAX_BODY_BYTES    ws maxPayload = MAX_BODY_BYTES
 *   1 trusted document          trusted-document.ts           document-gate.ts (middleware)   onSubscribe
 *   2 token limit + parse       parse-document.ts             document-gate.ts; Apollo parses onSubscribe
 *   3 validate                  validate-document.ts, rules/  Apollo `validationRules`        onSubscribe
 *     (specified + selections, depth, aliases, directives)
 *   4 cost limit                cost-limit.ts                 pipeline.plugin.ts              onSubscribe
 *   5 authenticate, rate limit, request-context.ts            Apollo `context`                onConnect (token) +
 *     create the context                                                                      onSubscribe (context)
 *   6 execute                   graphql-js; a query's later   Apollo, through               event-stream.ts: each
 *                               runs compiled (graphql-jit)   ../execution/apollo-gateway.ts  event with its own context
 *                                                                                             (src/request/build-context.ts)
 *   7 access-log commit         access-log-commit.ts          pipeline.plugin.ts              event-stream.ts, per event
 *
 * Every refusal is a GatewayError (or GraphQL's own parse/validation error) with the same code on
 * every transport: QUERY_TOO_COMPLEX (extensions limit, max, actual), PERSISTED_QUERY_NOT_FOUND,
 * TRUSTED_DOCUMENT_REQUIRED, RATE_LIMITED (retryAfter), UNAUTHENTICATED, GRAPHQL_PARSE_FAILED,
 * GRAPHQL_VALIDATION_FAILED, BAD_REQUEST (test/hardening/one-gate.test.ts).
 *
 * Order of execution, the same on both transports: 0, 1, the token count of 2, then 5, then the
 * parse of 2, 3, 4, 6, 7 — Apollo Server creates the context before it parses, and the WebSocket
 * server follows it, so a request that breaks two rules gets the same first refusal either way.
 */
import type { DocumentNode, GraphQLError, GraphQLSchema, ValidationRule } from "graphql";
import type { Identity } from "../../auth/identity.js";
import type { GatewayConfig } from "../../config.js";
import type { GatewayContext } from "../../request/gateway-context.js";
import type { GatewayServices } from "../../request/gateway-services.js";
import { commitAccessLog } from "./access-log-commit.js";
import { assertCostLimit, type CostedOperation } from "./cost-limit.js";
import { assertTokenLimit, parseDocument } from "./parse-document.js";
import { authenticate, createContext } from "./request-context.js";
import { resolveTrustedDocument, type DocumentParams, type ResolvedDocument } from "./trusted-document.js";
import type { TrustedDocuments } from "./trusted-document-manifest.js";
import { limitRules, validateDocument } from "./validate-document.js";

export { UNRECORDED_READ, unrecordedReadError } from "./access-log-commit.js";

/** What {@link createRequestPipeline} binds the steps to. */
export interface RequestPipelineOptions {
  schema: GraphQLSchema;
  services: GatewayServices;
  config: GatewayConfig;
  /** The trusted-documents manifest (empty when TRUSTED_DOCUMENTS is not set). */
  documents: TrustedDocuments;
  /** Told when an access-log write fails (the data it was for is then withheld). */
  onAccessLogFailure: (error: unknown) => void;
}

/** The steps, bound to one gateway's schema, services and limits; see the table above. */
export interface RequestPipeline {
  readonly schema: GraphQLSchema;
  /** 0: largest request body or WebSocket message, bytes (MAX_BODY_BYTES). */
  readonly maxMessageBytes: number;
  /** 1 */
  trustedDocument(params: DocumentParams): ResolvedDocument;
  /** 2, first half: the token limit alone (where another parser follows). */
  checkTokens(query: string): void;
  /** 2 */
  parse(query: string): DocumentNode;
  /** 3: the limit rules (Apollo adds graphql-js's specified rules itself). */
  readonly limitRules: readonly ValidationRule[];
  /** 3 */
  validate(document: DocumentNode): readonly GraphQLError[];
  /** 4 */
  checkCost(operation: Omit<CostedOperation, "schema">): void;
  /** 5, first half: who is calling (a WebSocket checks this once at connect). */
  authenticate(authorization: string | undefined): Promise<Identity>;
  /** 5 */
  createContext(authorization: string | undefined, requestId?: string): Promise<GatewayContext>;
  /** 7: false when the record could not be written — then send {@link UNRECORDED_READ}, not the data. */
  commitAccessLog(context: GatewayContext, operationName: string | null): Promise<boolean>;
}

export function createRequestPipeline({ schema, services, config, documents, onAccessLogFailure }: RequestPipelineOptions): RequestPipeline {
  const { limits } = config;
  const trusted = { documents, only: config.trustedDocuments.only };
  const rules = limitRules(limits);
  return {
    schema,
    maxMessageBytes: limits.maxBodyBytes,
    trustedDocument: (params) => resolveTrustedDocument(params, trusted),
    checkTokens: (query) => assertTokenLimit(query, limits.maxTokens),
    parse: (query) => parseDocument(query, limits.maxTokens),
    limitRules: rules,
    validate: (document) => validateDocument(schema, document, rules, { hideSuggestions: config.production }),
    checkCost: (operation) => assertCostLimit({ schema, ...operation }, limits.maxCost),
    authenticate: (authorization) => authenticate(services, authorization),
    createContext: (authorization, requestId) => createContext(services, authorization, requestId),
    commitAccessLog: (context, operationName) => commitAccessLog(context, operationName, onAccessLogFailure),
  };
}
