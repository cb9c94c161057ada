/**
 * Step 1 — resolve the trusted document, before anything is parsed. A request may name a
 * registered document by `documentId` (GraphQL-over-HTTP persisted documents; bare hex or
 * `sha256:<hex>`) or by Apollo's `extensions.persistedQuery.sha256Hash`: the document's text is
 * put in its place. An id that is not registered → PERSISTED_QUERY_NOT_FOUND, unless free-form text
 * is allowed and the client also sent the text (Apollo's APQ retry). In trusted-only mode
 * (production) any query text that is not itself a registered document → TRUSTED_DOCUMENT_REQUIRED,
 * so only registered operations are ever parsed, validated or run. Apollo's own APQ registration
 * is off: the manifest is the only source of persisted documents.
 */
import { ErrorCode, GatewayError } from "../../errors.js";
import type { TrustedDocuments } from "./trusted-document-manifest.js";

/** Options of {@link resolveTrustedDocument}. */
export interface TrustedDocumentsOptions {
  /** The manifest (empty when TRUSTED_DOCUMENTS is not set). */
  documents: TrustedDocuments;
  /** Refuse query text that is not registered (TRUSTED_DOCUMENTS_ONLY; default true in production). */
  only: boolean;
}

/** The GraphQL parameters this step reads, whatever the transport put them in. */
export interface DocumentParams {
  /** The query text; absent (or, over WebSocket, empty) when the request names a document by id. */
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

/** What to run: `query` (undefined = nothing sent; the next step refuses it) and the extensions left over. */
export interface ResolvedDocument {
  query: unknown;
  extensions: unknown;
  /** True when `query`/`extensions` differ from what was sent (an id was replaced by its text). */
  replaced: boolean;
}

/** The document to run for `params`; throws PERSISTED_QUERY_NOT_FOUND, TRUSTED_DOCUMENT_REQUIRED or BAD_REQUEST. */
export function resolveTrustedDocument(params: DocumentParams, { documents, only }: TrustedDocumentsOptions): ResolvedDocument {
  const persisted = isRecord(params.extensions) ? params.extensions["persistedQuery"] : undefined;
  const requestedId = params.documentId ?? (persisted === undefined ? undefined : isRecord(persisted) ? (persisted["sha256Hash"] ?? null) : null);
  if (requestedId !== undefined) {
    const registered = documents.get(requestedId);
    const extensions = withoutPersistedQuery(params.extensions);
    if (registered === undefined) {
      // A client that also sent the text (Apollo's APQ retry) may run it where free-form is allowed.
      if (!only && typeof params.query === "string") return { query: params.query, extensions, replaced: true };
      throw new GatewayError(
        ErrorCode.PERSISTED_QUERY_NOT_FOUND,
        documents.size === 0 ? "This server has no persisted documents: send the query text" : "No trusted document has this id",
      );
    }
    if (params.query !== undefined && params.query !== registered) {
      throw new GatewayError(ErrorCode.BAD_REQUEST, "The query text does not match the document id");
    }
    return { query: registered, extensions, replaced: true };
  }
  if (only && typeof params.query === "string" && !documents.includes(params.query)) {
    throw new GatewayError(ErrorCode.TRUSTED_DOCUMENT_REQUIRED, "This server runs only registered operations: send the documentId of a trusted document");
  }
  return { query: params.query, extensions: params.extensions, replaced: false };
}

function withoutPersistedQuery(extensions: unknown): Record<string, unknown> | undefined {
  if (!isRecord(extensions)) return undefined;
  const { persistedQuery: _persisted, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
