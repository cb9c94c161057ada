/**
 * The registered operations: a `persisted-documents.json` manifest as GraphQL Codegen's client
 * preset writes it — `{ "<id>": "<document>" }` where the id is the sha256 of the document text,
 * lowercase hex, bare or prefixed `sha256:` (the GraphQL-over-HTTP persisted-documents form).
 * Every entry is checked at load: an id that is not the hash of its document stops the start.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";

const DOCUMENT_ID = /^(?:sha256:)?([0-9a-f]{64})$/;
const manifestSchema = z.record(z.string().regex(DOCUMENT_ID, "must be a sha256 hex id"), z.string().min(1));

/** sha256 of a document's exact text, lowercase hex. */
export function hashDocument(document: string): string {
  return createHash("sha256").update(document, "utf8").digest("hex");
}

/** The hex hash inside a client-sent document id (`<hex>` or `sha256:<hex>`), or undefined. */
export function parseDocumentId(id: unknown): string | undefined {
  if (typeof id !== "string") return undefined;
  return DOCUMENT_ID.exec(id.toLowerCase())?.[1];
}

/** The loaded manifest: documents by the sha256 of their text. */
export class TrustedDocuments {
  private readonly byHash: ReadonlyMap<string, string>;

  constructor(entries: Iterable<readonly [string, string]> = []) {
    this.byHash = new Map(entries);
  }

  /** How many documents are registered. */
  get size(): number {
    return this.byHash.size;
  }

  /** The document registered under a client-sent id, or undefined. */
  get(documentId: unknown): string | undefined {
    const hash = parseDocumentId(documentId);
    return hash === undefined ? undefined : this.byHash.get(hash);
  }

  /** Whether this exact query text is a registered document. */
  includes(query: string): boolean {
    return this.byHash.get(hashDocument(query)) === query;
  }
}

/** Reads and checks a manifest file; throws one error naming the file and every bad entry. */
export async function loadTrustedDocuments(path: string): Promise<TrustedDocuments> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new Error(`Trusted documents: cannot read ${path} as JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `Trusted documents: ${path} must be an object of sha256 id → document (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`,
    );
  }
  const entries: Array<[string, string]> = [];
  const mismatched: string[] = [];
  for (const [id, document] of Object.entries(parsed.data)) {
    const hash = parseDocumentId(id)!;
    if (hashDocument(document) !== hash) mismatched.push(id);
    entries.push([hash, document]);
  }
  if (mismatched.length > 0) {
    throw new Error(`Trusted documents: in ${path}, these ids are not the sha256 of their document: ${mismatched.join(", ")}`);
  }
  return new TrustedDocuments(entries);
}
