/**
 * Collects, per request, which (link, scope) pairs the response is about to carry and under which
 * consent; `flush` writes them to the access log before the response leaves (see the
 * access-log plugin). Deduplicated: one record per (link, scope) per request.
 */
import type { AccessRecord } from "../store/access-log-repository.js";

export interface AccessGrant {
  linkId: string;
  institutionId: string;
  consentId: string;
  purpose: string;
  scope: string;
}

export class AccessRecorder {
  private readonly grants = new Map<string, AccessGrant>();

  record(grant: AccessGrant): void {
    const key = `${grant.linkId}\u0000${grant.scope}`;
    if (!this.grants.has(key)) this.grants.set(key, grant);
  }

  get size(): number {
    return this.grants.size;
  }

  /** The records to append, stamped with who asked and when. */
  drain(meta: Pick<AccessRecord, "userId" | "clientId" | "operationName" | "requestId" | "at">): AccessRecord[] {
    const records = [...this.grants.values()].map((g) => ({ ...meta, ...g }));
    this.grants.clear();
    return records;
  }
}
