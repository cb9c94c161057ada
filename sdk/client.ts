/**
 * A small typed client over `fetch` for the documents in `./generated/graphql.js`:
 *
 *   const bankgraph = createBankgraphClient({ url: "http://localhost:4000/graphql", token });
 *   const { data, errors } = await bankgraph.request(DashboardDocument);
 *   // data: DashboardQuery | null — errors: BankgraphError[] (see isConsentError)
 *
 * No GraphQL runtime needed: the documents are typed strings carrying their persisted-document ID.
 */
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";
import type { BankgraphError } from "./errors.js";

/** A generated operation, e.g. `DashboardDocument`. */
export interface BankgraphDocument<TResult, TVariables> extends DocumentTypeDecoration<TResult, TVariables> {
  toString(): string;
  /** `{ documentId }`: sha256 of the document as listed in persisted-documents.json. */
  __meta__?: Record<string, unknown> | undefined;
}

export interface BankgraphClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** Bearer token (the app's, or the user's for consent decisions), or a function returning a fresh one. */
  token?: string | (() => string | Promise<string>);
  /**
   * `"document"` (default): send the operation text. `"documentId"`: send only its
   * persisted-document ID, for a gateway in trusted-documents mode.
   */
  send?: "document" | "documentId";
  /** Extra headers on every request, e.g. `x-request-id`. */
  headers?: Record<string, string>;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** What one operation answered: partial data and its errors, side by side. */
export interface BankgraphResult<TResult> {
  /** Null only when the whole operation failed; otherwise withheld or failed fields are null. */
  data: TResult | null;
  errors: BankgraphError[];
  /** The HTTP status (200 for partial data; 400/401/403 for a refused request). */
  status: number;
}

/** The gateway answered something that is not a GraphQL response (wrong URL, proxy error page…). */
export class BankgraphTransportError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "BankgraphTransportError";
  }
}

/** Variables are optional when the operation has none (or all have defaults). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{} extends T` asks "has T no required keys?"
type VariablesArgument<TVariables> = {} extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export interface BankgraphClient {
  request<TResult, TVariables>(
    document: BankgraphDocument<TResult, TVariables>,
    ...variables: VariablesArgument<TVariables>
  ): Promise<BankgraphResult<TResult>>;
}

const OPERATION_NAME = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/** Builds a client; see {@link BankgraphClientOptions} for the defaults. */
export function createBankgraphClient(options: BankgraphClientOptions): BankgraphClient {
  const doFetch = options.fetch ?? fetch;
  const send = options.send ?? "document";
  return {
    async request<TResult, TVariables>(document: BankgraphDocument<TResult, TVariables>, ...[variables]: VariablesArgument<TVariables>) {
      const text = document.toString();
      const operationName = OPERATION_NAME.exec(text)?.[1];
      const documentId = document.__meta__?.["documentId"];
      if (send === "documentId" && typeof documentId !== "string") {
        throw new Error(`${operationName ?? "This document"} has no persisted-document ID: regenerate the SDK with \`npm run sdk\``);
      }
      const token = typeof options.token === "function" ? await options.token() : options.token;
      const response = await doFetch(options.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...options.headers,
        },
        body: JSON.stringify({
          ...(send === "documentId" ? { documentId } : { query: text }),
          operationName,
          variables: variables ?? {},
        }),
      });
      const type = response.headers.get("content-type") ?? "";
      if (!type.includes("json")) {
        throw new BankgraphTransportError(
          response.status,
          `Expected a GraphQL response from ${options.url}, got HTTP ${response.status} (${type || "no content type"})`,
        );
      }
      const body = (await response.json()) as { data?: TResult | null; errors?: BankgraphError[] };
      return { data: body.data ?? null, errors: body.errors ?? [], status: response.status };
    },
  };
}
