/**
 * Opaque global IDs for `node(id:)`: base64url of a JSON array `[kind, linkId, ...localParts]`.
 * Every object ID names the link it came through, so resolving one always starts by checking
 * that the link is the caller's — a foreign or forged ID answers exactly like a missing one.
 */
export type NodeKind = "Account" | "Transaction" | "Receipt" | "Link" | "Consent" | "Institution";

const KINDS = new Set<NodeKind>(["Account", "Transaction", "Receipt", "Link", "Consent", "Institution"]);
const MAX_ID_LENGTH = 512;

export function encodeGlobalId(kind: NodeKind, ...parts: string[]): string {
  return Buffer.from(JSON.stringify([kind, ...parts])).toString("base64url");
}

export interface DecodedGlobalId {
  kind: NodeKind;
  parts: string[];
}

/** The decoded ID, or null for anything that is not one of ours (never throws). */
export function decodeGlobalId(id: string): DecodedGlobalId | null {
  if (id.length > MAX_ID_LENGTH || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(id, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length < 2 || !value.every((p) => typeof p === "string")) return null;
    const [kind, ...parts] = value;
    return KINDS.has(kind as NodeKind) ? { kind: kind as NodeKind, parts } : null;
  } catch {
    return null;
  }
}

/** Global Account IDs ↔ (link, bank account id), for the payment service (src/payments/payment-refusals.ts). */
export const paymentAccountIds = {
  decode(globalId: string): { linkId: string; accountId: string } | null {
    const decoded = decodeGlobalId(globalId);
    return decoded?.kind === "Account" && decoded.parts.length === 2 ? { linkId: decoded.parts[0]!, accountId: decoded.parts[1]! } : null;
  },
  encode: (linkId: string, accountId: string): string => encodeGlobalId("Account", linkId, accountId),
};
