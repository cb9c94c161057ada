/**
 * The access log as a file a person or an auditor keeps: every chained record, the newest signed
 * head and (for convenience) the key set. Verifying it later needs nothing from the gateway but
 * its published keys — and an auditor should take those from /.well-known/jwks.json, not from the
 * file, since whoever could alter the file could also replace its keys.
 */
import type { JSONWebKeySet } from "jose";
import { z } from "zod";
import type { ChainedAccessRecord } from "../domain/access-record.js";

export const ACCESS_LOG_EXPORT_FORMAT = "bankgraph-access-log/1";

/** The file, as JSON. */
export interface AccessLogExport {
  format: typeof ACCESS_LOG_EXPORT_FORMAT;
  userId: string;
  /** Oldest first; `at` in ISO 8601. */
  records: Array<Omit<ChainedAccessRecord, "at"> & { at: string }>;
  signedHead: string | null;
  keys: JSONWebKeySet;
}

/** Builds the file's contents. */
export function toAccessLogExport(userId: string, records: readonly ChainedAccessRecord[], signedHead: string | null, keys: JSONWebKeySet): AccessLogExport {
  return { format: ACCESS_LOG_EXPORT_FORMAT, userId, records: records.map((r) => ({ ...r, at: r.at.toISOString() })), signedHead, keys };
}

const recordSchema = z.object({
  userId: z.string(),
  clientId: z.string(),
  linkId: z.string(),
  institutionId: z.string(),
  consentId: z.string().nullable(),
  scope: z.string(),
  purpose: z.string(),
  operationName: z.string().nullable(),
  requestId: z.string(),
  at: z.string().datetime({ offset: true }),
  seq: z.number().int().positive(),
  prevHash: z.string(),
  hash: z.string(),
});

const exportSchema = z.object({
  format: z.literal(ACCESS_LOG_EXPORT_FORMAT),
  userId: z.string().min(1),
  records: z.array(recordSchema),
  signedHead: z.string().nullable(),
  keys: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
});

/** Reads an export; throws with the first field that is not as the format says. */
export function parseAccessLogExport(json: unknown): { userId: string; records: ChainedAccessRecord[]; signedHead: string | null; keys: JSONWebKeySet } {
  const parsed = exportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`not an access-log export (${ACCESS_LOG_EXPORT_FORMAT}): ${issue.path.join(".") || "file"}: ${issue.message}`);
  }
  const { userId, records, signedHead, keys } = parsed.data;
  return { userId, records: records.map((r) => ({ ...r, at: new Date(r.at) })), signedHead, keys: keys };
}
