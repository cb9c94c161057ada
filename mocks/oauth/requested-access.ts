/**
 * What an authorization request asks of the person, read from the interaction in the bank's own
 * style: which items (scopes, FDX clusters, UK permissions), until when, how far back. The consent
 * page plays it back; the account-selection step records it as the bank consent.
 */
import type { BankAuthorization } from "./bank-authorization.js";
import type { BankConsents } from "./bank-consents.js";
import { GRANT_MAX_SECONDS, UK_CONSENT_PARAM } from "./bank-provider.js";
import { readFdxRequest } from "./fdx-request.js";

export interface RequestedAccess {
  items: string[];
  expiresAt: Date;
  historyFrom?: Date;
  /** The UK account-access consent being authorized. */
  ukConsentId?: string;
}

export interface InteractionRequest {
  params: Record<string, unknown>;
  prompt: { details: Record<string, unknown> };
}

export function requestedAccess(
  authorization: BankAuthorization,
  consents: BankConsents,
  interaction: InteractionRequest,
  now = Date.now(),
): RequestedAccess | undefined {
  const { params } = interaction;
  switch (authorization.style) {
    case "scopes": {
      const asked = typeof params.scope === "string" ? params.scope.split(" ") : [];
      const items = asked.filter((s) => s in authorization.scopes);
      return items.length ? { items, expiresAt: new Date(now + GRANT_MAX_SECONDS * 1000) } : undefined;
    }
    case "fdx": {
      if (typeof params.authorization_details !== "string") return undefined;
      const request = readFdxRequest(JSON.parse(params.authorization_details) as unknown[], now);
      return { items: request.clusters, expiresAt: request.expiresAt, ...(request.historyFrom ? { historyFrom: request.historyFrom } : {}) };
    }
    case "uk": {
      const id = params[UK_CONSENT_PARAM];
      const consent = typeof id === "string" ? consents.get(id) : undefined;
      if (!consent || consent.status !== "AwaitingAuthorisation") return undefined;
      return {
        items: consent.items,
        expiresAt: new Date(consent.expiresAt),
        ...(consent.historyFrom ? { historyFrom: new Date(consent.historyFrom) } : {}),
        ukConsentId: consent.id,
      };
    }
  }
}
