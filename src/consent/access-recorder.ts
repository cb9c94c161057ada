/**
 * Collects, per request, which (link, scope) pairs the response is about to carry and under which
 * consent: the bank gate records a scope after a read of its bank data SUCCEEDED (so a failed read
 * leaves nothing, and `__typename` or a count leaves a record), a subscription delivery records
 * the scopes its event was decided under. `drain` hands them to the access-log commit before the
 * response leaves (src/server/pipeline/access-log-commit.ts). Deduplicated: one record per (link, scope) per request.
 */
import type { AccessRecord } from "../store/access-log-repository.js";
import type { Grant } from "./consent-view.js";

export interface AccessGrant {
  linkId: string;
  institutionId: string;
  consentId: string;
  purpose: string;
  scope: string;
}

export class AccessRecorder {
  private readonly grants = new Map<string, AccessGrant>();
  /** Grants already recorded; ConsentView hands out one decision per (requirement, link), so repeats cost one lookup. */
  private readonly recordedDecisions = new Set<Grant>();

  record(grant: AccessGrant): void {
    const key = `${grant.linkId}\u0000${grant.scope}`;
    if (!this.grants.has(key)) this.grants.set(key, grant);
  }

  /** Records the scopes a granted decision read on the link; a decision already recorded costs one lookup. */
  recordDecision(link: { linkId: string; institutionId: string }, decision: Grant): void {
    if (this.recordedDecisions.has(decision)) return;
    if ((decision as { granted: unknown }).granted !== true) {
      throw new Error("AccessRecorder.recordDecision: only a granted decision can be recorded (a denial delivered nothing)");
    }
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
    // Spelled out rather than spread (`{ ...meta, ...g }`, same fields, same order): a dashboard drains 18.
    const { userId, clientId, operationName, requestId, at } = meta;
    const records = [...this.grants.values()].map(({ linkId, institutionId, consentId, purpose, scope }) => ({
      userId,
      clientId,
      operationName,
      requestId,
      at,
      linkId,
      institutionId,
      consentId,
      purpose,
      scope,
    }));
    this.grants.clear();
    this.recordedDecisions.clear();
    return records;
  }
}
