/**
 * Reads one person's access log from the store as a verifier needs it: the store's own head row
 * first, then the newest signed head, then every chained record (in pages), then the public keys.
 * Reading the head before the records means records appended meanwhile only extend what is read.
 * Nothing is signed or written: verifying must not need the private key.
 */
import type { JSONWebKeySet } from "jose";
import type { ChainedAccessRecord, ChainTip } from "../domain/access-record.js";
import { publishedSigningKeys } from "../signing/gateway-signer.js";
import { AccessLogRepository } from "../store/access-log-repository.js";
import { AccessLogSignedHeadRepository, type SignedAccessLogHead } from "../store/access-log-signed-head-repository.js";
import type { Database } from "../store/database.js";

/** One person's access log as stored. */
export interface StoredAccessLog {
  userId: string;
  records: ChainedAccessRecord[];
  /** The store's head row (unsigned): what the appends last wrote. */
  storeHead: ChainTip | null;
  signedHead: SignedAccessLogHead | null;
  keys: JSONWebKeySet;
}

const PAGE = 1000;

export async function readStoredAccessLog(db: Database, userId: string): Promise<StoredAccessLog> {
  const log = new AccessLogRepository(db);
  const storeHead = await log.head(userId);
  const signedHead = await new AccessLogSignedHeadRepository(db).latest(userId);
  const records: ChainedAccessRecord[] = [];
  for (;;) {
    const page = await log.readChain(userId, records.at(-1)?.seq ?? 0, PAGE);
    records.push(...page);
    if (page.length < PAGE) break;
  }
  return { userId, records, storeHead, signedHead, keys: await publishedSigningKeys(db) };
}
