/**
 * Trusted documents, before Apollo sees the request. A request may name a registered document by
 * `documentId` (GraphQL-over-HTTP persisted documents) or `extensions.persistedQuery.sha256Hash`
 * (Apollo's form), in a POST body or a GET query string: the document's text is put in its place.
 * An id that is not registered → PERSISTED_QUERY_NOT_FOUND. In trusted-only mode (production) any
 * query text that is not itself a registered document → TRUSTED_DOCUMENT_REQUIRED, so only
 * registered operations are ever parsed, validated or run. Apollo's own APQ registration is off:
 * the manifest is the only source of persisted documents.
 */
import type { Request, RequestHandler } from "express";
import { ErrorCode, GatewayError } from "../../errors.js";
import { sendRequestError } from "../limits/send-request-error.js";
import type { TrustedDocuments } from "./trusted-document-manifest.js";

/** Options of {@link trustedDocuments}. */
export interface TrustedDocumentsOptions {
  /** The manifest (empty when TRUSTED_DOCUMENTS is not set). */
  documents: TrustedDocuments;
  /** Refuse query text that is not registered (TRUSTED_DOCUMENTS_ONLY; default true in production). */
  only: boolean;
}

/** The GraphQL parameters this middleware reads and rewrites, whatever the HTTP method. */
interface GraphQLParams {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

type Decision = { kind: "pass" } | { kind: "refuse"; error: GatewayError } | { kind: "use"; query: string; extensions: Record<string, unknown> | undefined };

/** The middleware; mount after the body parser and before the GraphQL handler. */
export function trustedDocuments({ documents, only }: TrustedDocumentsOptions): RequestHandler {
  const decide = (params: GraphQLParams): Decision => {
    const persisted = isRecord(params.extensions) ? params.extensions["persistedQuery"] : undefined;
    const requestedId = params.documentId ?? (persisted === undefined ? undefined : isRecord(persisted) ? persisted["sha256Hash"] ?? null : null);
    if (requestedId !== undefined) {
      const registered = documents.get(requestedId);
      const extensions = withoutPersistedQuery(params.extensions);
      if (registered === undefined) {
        // A client that also sent the text (Apollo's APQ retry) may run it where free-form is allowed.
        if (!only && typeof params.query === "string") return { kind: "use", query: params.query, extensions };
        return { kind: "refuse", error: new GatewayError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, documents.size === 0 ? "This server has no persisted documents: send the query text" : "No trusted document has this id") };
      }
      if (params.query !== undefined && params.query !== registered) {
        return { kind: "refuse", error: new GatewayError(ErrorCode.BAD_REQUEST, "The query text does not match the document id") };
      }
      return { kind: "use", query: registered, extensions };
    }
    if (only && typeof params.query === "string" && !documents.includes(params.query)) {
      return { kind: "refuse", error: new GatewayError(ErrorCode.TRUSTED_DOCUMENT_REQUIRED, "This server runs only registered operations: send the documentId of a trusted document") };
    }
    return { kind: "pass" };
  };

  return (req, res, next) => {
    if (req.method === "GET") {
      const search = new URLSearchParams(req.url.split("?")[1] ?? "");
      const decision = decide({ query: search.get("query") ?? undefined, documentId: search.get("documentId") ?? undefined, extensions: parseJsonParam(search.get("extensions")) });
      if (decision.kind === "refuse") return sendRequestError(req, res, decision.error);
      if (decision.kind === "use") rewriteSearch(req, search, decision);
      return next();
    }
    const body: unknown = req.body;
    // Batches and bodies that are not objects are Apollo's to refuse.
    if (!isRecord(body)) return next();
    const decision = decide(body);
    if (decision.kind === "refuse") return sendRequestError(req, res, decision.error);
    if (decision.kind === "use") {
      body["query"] = decision.query;
      delete body["documentId"];
      if (decision.extensions === undefined) delete body["extensions"];
      else body["extensions"] = decision.extensions;
    }
    next();
  };
}

function rewriteSearch(req: Request, search: URLSearchParams, decision: { query: string; extensions: Record<string, unknown> | undefined }): void {
  search.set("query", decision.query);
  search.delete("documentId");
  if (decision.extensions === undefined) search.delete("extensions");
  else search.set("extensions", JSON.stringify(decision.extensions));
  req.url = `${req.url.split("?")[0]}?${search.toString()}`;
}

function withoutPersistedQuery(extensions: unknown): Record<string, unknown> | undefined {
  if (!isRecord(extensions)) return undefined;
  const { persistedQuery: _persisted, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
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
