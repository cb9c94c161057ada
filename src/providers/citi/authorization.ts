/**
 * How Bankgraph asks Citi for access, UK Open Banking style: first Bankgraph's own
 * client_credentials token (scope `accounts`) creates an account-access consent naming the
 * permissions, its end (ExpirationDateTime) and how far back (TransactionFromDateTime); Citi answers
 * its ConsentId (AwaitingAuthorisation). The person then authorizes that consent by id at Citi
 * (`openbanking_intent_id` on the authorization request). ReadAccountsDetail is always asked:
 * Bankgraph lists the chosen accounts to know which ones the person shared. Citi has no receipts.
 * When the grant ends, Bankgraph DELETEs the consent.
 */
import { z } from "zod";
import { DAY_MS } from "../../clock.js";
import type { Scope } from "../../domain/consent.js";
import { revokeTokens, type BankAuthorizationFormat } from "../authorization-format.js";

/** Bankgraph scope → UK Open Banking permissions. */
export const PERMISSION_TABLE: Partial<Record<Scope, readonly string[]>> = {
  "accounts:read": ["ReadAccountsDetail"],
  "balances:read": ["ReadBalances"],
  "transactions:read": ["ReadTransactionsDetail"],
  "identity:read": ["ReadParty"],
};

/** The one OAuth scope of Citi's account-information API (consent creation and authorization alike). */
const ACCOUNTS_SCOPE = "accounts";
/** Where Citi takes account-access consents. */
export const CONSENTS_PATH = "/open-banking/v3.1/aisp/account-access-consents";
/** The authorization-request parameter naming the consent the person authorizes. */
const INTENT_PARAM = "openbanking_intent_id";

const CreatedConsent = z.object({
  Data: z.object({ ConsentId: z.string().min(1), Status: z.literal("AwaitingAuthorisation") }),
});

export const citiAuthorization: BankAuthorizationFormat = {
  pushed: false,
  async prepare(ask, tools) {
    const permissions = new Set(PERMISSION_TABLE["accounts:read"]);
    for (const scope of ask.scopes) for (const permission of PERMISSION_TABLE[scope] ?? []) permissions.add(permission);
    const token = await tools.clientCredentialsToken(ACCOUNTS_SCOPE);
    const created = await tools.http.request(
      {
        method: "POST",
        path: CONSENTS_PATH,
        session: { accessToken: token },
        json: {
          Data: {
            Permissions: [...permissions],
            ExpirationDateTime: ask.expiresAt.toISOString(),
            ...(ask.historyDays !== undefined ? { TransactionFromDateTime: new Date(ask.now.getTime() - ask.historyDays * DAY_MS).toISOString() } : {}),
          },
          Risk: {},
        },
      },
      CreatedConsent,
    );
    const consentId = created.Data.ConsentId;
    return { parameters: { scope: ACCOUNTS_SCOPE, [INTENT_PARAM]: consentId }, bankGrantId: consentId };
  },
  // UK Open Banking: the TPP deletes the account-access consent (204), with its own client_credentials token.
  async revokeGrant(grant, tools) {
    if (!grant.bankGrantId) return revokeTokens(grant, tools);
    const token = await tools.clientCredentialsToken(ACCOUNTS_SCOPE);
    await tools.http.request(
      { method: "DELETE", path: `${CONSENTS_PATH}/${encodeURIComponent(grant.bankGrantId)}`, session: { accessToken: token }, idempotent: true },
      z.unknown(),
    );
  },
};
