/**
 * HTTP adapter of pipeline steps 1 and 2 (src/server/pipeline/): before Apollo Server sees the
 * request, the trusted document is resolved (a `documentId` or persisted-query hash is replaced by
 * its registered text, in a POST body or a GET query string) and the text's tokens are counted. A
 * refusal is thrown as a GatewayError, for the caller to answer in Apollo's shape
 * (send-request-error.ts). Call after the body is read.
 */
import type { IncomingMessage } from "node:http";
import type { RequestPipeline } from "../pipeline/index.js";
import type { DocumentParams, ResolvedDocument } from "../pipeline/trusted-document.js";

/** A request as it reaches the gate: its JSON body read, if it had one. */
export type RequestWithBody = IncomingMessage & { body?: unknown };

/** Resolves `req`'s trusted document in place and counts its tokens; throws the refusal. */
export function passDocumentGate(pipeline: RequestPipeline, req: RequestWithBody): void {
  const params = paramsOf(req);
  // Batches and bodies that are not objects are Apollo's to refuse.
  if (params === undefined) return;
  const resolved = pipeline.trustedDocument(params);
  if (resolved.replaced) replaceParams(req, resolved);
  if (typeof resolved.query === "string") pipeline.checkTokens(resolved.query);
}

/** The GraphQL parameters of a GraphQL-over-HTTP request, wherever the method puts them. */
function paramsOf(req: RequestWithBody): DocumentParams | undefined {
  if (req.method === "GET") {
    const search = searchOf(req);
    return { query: search.get("query") ?? undefined, documentId: search.get("documentId") ?? undefined, extensions: parseJsonParam(search.get("extensions")) };
  }
  const body: unknown = req.body;
  return isRecord(body) ? body : undefined;
}

/** Puts the resolved document where Apollo reads it. */
function replaceParams(req: RequestWithBody, { query, extensions }: ResolvedDocument): void {
  if (req.method === "GET") {
    const search = searchOf(req);
    search.set("query", String(query));
    search.delete("documentId");
    if (extensions === undefined) search.delete("extensions");
    else search.set("extensions", JSON.stringify(extensions));
    req.url = `${(req.url ?? "").split("?")[0]}?${search.toString()}`;
    return;
  }
  const body = req.body as Record<string, unknown>;
  body["query"] = query;
  delete body["documentId"];
  if (extensions === undefined) delete body["extensions"];
  else body["extensions"] = extensions;
}

function searchOf(req: IncomingMessage): URLSearchParams {
  return new URLSearchParams((req.url ?? "").split("?")[1] ?? "");
}

/** A GET `extensions` parameter; malformed JSON is left for Apollo to refuse. */
function parseJsonParam(value: string | null): unknown {
  if (value === null) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
