/**
 * HTTP adapter of pipeline steps 1 and 2 (src/server/pipeline/): before Apollo Server sees the
 * request, the trusted document is resolved (a `documentId` or persisted-query hash is replaced by
 * its registered text, in a POST body or a GET query string) and the text's tokens are counted. A
 * refusal is answered here in Apollo's shape (send-request-error.ts). Mount after the body parser.
 */
import type { Request, RequestHandler } from "express";
import { GatewayError } from "../../errors.js";
import type { RequestPipeline } from "../pipeline/index.js";
import type { DocumentParams, ResolvedDocument } from "../pipeline/trusted-document.js";
import { sendRequestError } from "./send-request-error.js";

/** The middleware for `pipeline`. */
export function documentGate(pipeline: RequestPipeline): RequestHandler {
  return (req, res, next) => {
    const params = paramsOf(req);
    // Batches and bodies that are not objects are Apollo's to refuse.
    if (params === undefined) return next();
    try {
      const resolved = pipeline.trustedDocument(params);
      if (resolved.replaced) replaceParams(req, resolved);
      if (typeof resolved.query === "string") pipeline.checkTokens(resolved.query);
    } catch (error) {
      if (error instanceof GatewayError) return sendRequestError(req, res, error);
      return next(error);
    }
    next();
  };
}

/** The GraphQL parameters of a GraphQL-over-HTTP request, wherever the method puts them. */
function paramsOf(req: Request): DocumentParams | undefined {
  if (req.method === "GET") {
    const search = searchOf(req);
    return { query: search.get("query") ?? undefined, documentId: search.get("documentId") ?? undefined, extensions: parseJsonParam(search.get("extensions")) };
  }
  const body: unknown = req.body;
  return isRecord(body) ? body : undefined;
}

/** Puts the resolved document where Apollo reads it. */
function replaceParams(req: Request, { query, extensions }: ResolvedDocument): void {
  if (req.method === "GET") {
    const search = searchOf(req);
    search.set("query", String(query));
    search.delete("documentId");
    if (extensions === undefined) search.delete("extensions");
    else search.set("extensions", JSON.stringify(extensions));
    req.url = `${req.url.split("?")[0]}?${search.toString()}`;
    return;
  }
  const body = req.body as Record<string, unknown>;
  body["query"] = query;
  delete body["documentId"];
  if (extensions === undefined) delete body["extensions"];
  else body["extensions"] = extensions;
}

function searchOf(req: Request): URLSearchParams {
  return new URLSearchParams(req.url.split("?")[1] ?? "");
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
