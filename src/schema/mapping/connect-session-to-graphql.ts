/** A stored connect session as the app sees it in GraphQL (consent ids as global IDs). */
import type { ConnectSession as StoredConnectSession } from "../../domain/connect-session.js";
import { encodeGlobalId } from "../global-id.js";
import { ConnectSession } from "../types/connect-session.type.js";

export function toConnectSession(s: StoredConnectSession): ConnectSession {
  const consentId = (b: StoredConnectSession["banks"][number]) => (b.consentId && b.linkId ? encodeGlobalId("Consent", b.linkId, b.consentId) : null);
  const linked = s.banks.filter((b) => b.status === "LINKED");
  return Object.assign(new ConnectSession(), {
    id: s.id,
    status: s.status,
    purpose: s.request.purpose,
    scopes: s.request.scopes,
    banks: s.banks.map((b) => ({ institutionId: b.institutionId, status: b.status, consentId: consentId(b) })),
    linkedInstitutionIds: linked.map((b) => b.institutionId),
    consentIds: linked.map(consentId).filter((id): id is string => id !== null),
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
    finishedAt: s.finishedAt,
  });
}
