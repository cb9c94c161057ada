/**
 * Collects, per request, which (link, scope) pairs the response is about to carry and under which
 * consent; `flush` writes them to the access log before the response leaves (see the
 * access-log plugin). Deduplicated: one record per (link, scope) per request.
 */
import type { AccessRecord } from "../store/access-log-repository.js";
import type { Decision } from "./consent-view.js";

export interface AccessGrant {
  linkId: string;
  institutionId: string;
  consentId: string;
  purpose: string;
  scope: string;
}

export class AccessRecorder {
  private readonly grants = new Map<string, AccessGrant>();
  /** Granted decisions already recorded; ConsentView hands out one decision per (field requirement, link). */
  private readonly recordedDecisions = new Set<Decision>();

  record(grant: AccessGrant): void {
    const key = `${grant.linkId}\u0000${grant.scope}`;
    if (!this.grants.has(key)) this.grants.set(key, grant);
  }

  /** Records the scopes a granted decision read on the link; a decision already recorded costs one lookup. */
  recordDecision(link: { linkId: string; institutionId: string }, decision: Extract<Decision, { granted: true }>): void {
    if (this.recordedDecisions.has(decision)) return;
    this.recordedDecisions.add(decision);
    for (const scope of decision.scopes) {
      this.record({ linkId: link.linkId, institutionId: link.institutionId, consentId: decision.consent.id, purpose: decision.consent.purpose, scope });
    }
  }

  get size(): number {
    return this.grants.size;
  }

  /** The records to append, stamped with who asked and when. */
  drain(meta: Pick<AccessRecord, "userId" | "clientId" | "operationName" | "requestId" | "at">): AccessRecord[] {
    const records = [...this.grants.values()].map((g) => ({ ...meta, ...g }));
    this.grants.clear();
    this.recordedDecisions.clear();
    return records;
  }
}
