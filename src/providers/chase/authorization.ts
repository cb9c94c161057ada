/**
 * How Bankgraph asks JPMorgan Chase for access: an FDX consent request in `authorization_details`
 * (RFC 9396, type `fdx_v1.0`) pushed through PAR — data clusters, how long (durationPeriod, days)
 * and how far back (lookbackPeriod, days). ACCOUNT_BASIC is always asked: Bankgraph lists the chosen
 * accounts to know which ones the person shared. Chase has no receipts. When the grant ends,
 * Bankgraph revokes the FDX consent (its id comes back in the token response's authorization_details).
 */
import { DAY_MS } from "../../clock.js";
import type { Scope } from "../../domain/consent.js";
import { z } from "zod";
import { revokeTokens, type BankAuthorizationFormat } from "../authorization-format.js";

/** FDX consent revocation: `PUT /consents/{consentId}/revocation` on Chase's FDX API (204). */
export const consentRevocationPath = (consentId: string) => `/fdx/v6/consents/${encodeURIComponent(consentId)}/revocation`;

/**
 * How Chase is asked for permission to send payments (issue 16): FDX money movement is a data
 * cluster of its own in the same consent request, `PAYMENT_INITIATION`, which opens `/payees` and
 * `/payments` for the accounts the person chooses. Asked when the ask holds `payments:write`.
 */
export const PAYMENT_CLUSTERS: readonly string[] = ["PAYMENT_INITIATION"];

/** Bankgraph scope → FDX data clusters (`payments:write`: the payment scope of issue 16, asked only when granted on its own). */
export const CLUSTER_TABLE: Partial<Record<Scope | "payments:write", readonly string[]>> = {
  "accounts:read": ["ACCOUNT_BASIC"],
  "balances:read": ["ACCOUNT_DETAILED"],
  "transactions:read": ["TRANSACTIONS"],
  "identity:read": ["CUSTOMER_CONTACT"],
  "payments:write": PAYMENT_CLUSTERS,
};

export const chaseAuthorization: BankAuthorizationFormat = {
  pushed: true,
  async prepare(ask) {
    const clusters = new Set(CLUSTER_TABLE["accounts:read"]);
    for (const scope of ask.scopes) for (const cluster of CLUSTER_TABLE[scope] ?? []) clusters.add(cluster);
    const days = Math.min(365, Math.max(1, Math.floor((ask.expiresAt.getTime() - ask.now.getTime()) / DAY_MS)));
    const detail = {
      type: "fdx_v1.0",
      consentRequest: {
        durationType: "TIME_BOUND",
        durationPeriod: days,
        ...(ask.historyDays !== undefined ? { lookbackPeriod: ask.historyDays } : {}),
        resources: [{ resourceType: "ACCOUNT", dataClusters: [...clusters] }],
      },
    };
    // No scope: the clusters say what the grant covers (Chase binds it to its FDX API as the resource).
    return { parameters: { authorization_details: JSON.stringify([detail]) } };
  },
  // FDX ConsentRevocationRequest: who ended it (Bankgraph, the data recipient) and why (the person's action).
  async revokeGrant(grant, tools) {
    if (!grant.bankGrantId) return revokeTokens(grant, tools);
    await tools.http.request(
      {
        method: "PUT",
        path: consentRevocationPath(grant.bankGrantId),
        headers: { authorization: tools.clientAuthorization() },
        json: { initiator: "DATA_RECIPIENT", reason: "USER_ACTION" },
        idempotent: true,
      },
      z.unknown(),
    );
  },
};
