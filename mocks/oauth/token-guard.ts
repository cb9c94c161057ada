/**
 * What the data routes' guard asks of a bearer token: issued by this bank's provider, not expired,
 * not revoked, not older than the bank's "everyone log in again" moment, for a bank consent that is
 * still authorised and in date, and granting the resource being read.
 */
import type Provider from "oidc-provider";
import type { CallKind } from "../bank.js";
import { BankConsents } from "./bank-consents.js";

export type TokenCheck =
  | { ok: true; customerId: string; accountIds: string[] }
  | { ok: false; status: 401; error: "invalid_token" }
  | { ok: false; status: 403; error: "insufficient_scope" };

export class TokenGuard {
  constructor(
    private readonly provider: () => Provider | undefined,
    private readonly consents: BankConsents,
  ) {}

  async check(bearer: string | undefined, kind: CallKind): Promise<TokenCheck> {
    const invalid = { ok: false, status: 401, error: "invalid_token" } as const;
    const provider = this.provider();
    if (!bearer || !provider) return invalid;
    const token = await provider.AccessToken.find(bearer);
    if (!token || token.isExpired) return invalid;
    const consent = token.grantId ? this.consents.byGrant(token.grantId) : undefined;
    if (!BankConsents.isLive(consent)) return invalid;
    if (kind !== "other" && kind !== "auth" && !consent.opens.includes(kind)) {
      return { ok: false, status: 403, error: "insufficient_scope" };
    }
    return { ok: true, customerId: consent.customerId, accountIds: consent.accountIds };
  }
}
