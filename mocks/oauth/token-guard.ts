/**
 * What the data routes' guard asks of a bearer token: issued by this bank's provider, not expired,
 * not revoked, not older than the bank's "everyone log in again" moment, for a bank consent that is
 * still authorised and in date, and granting the resource being read.
 *
 * oidc-provider verifies a token the first time it is shown (`AccessToken.find`: its stored record,
 * checked and turned into a model); after that the guard remembers the verified token against that
 * very stored record and its consent's id, so each later call is two map reads, answered without
 * waiting (`checkRemembered`: no promise, no turn of the event loop). Nothing that can end a token
 * is remembered: the stored record is looked up on every call (every revocation and "expire all"
 * deletes or replaces it, and a miss sends the token back through `find`), the expiry is compared
 * with the clock, and the consent is read afresh by id (its status and end date).
 */
import type Provider from "oidc-provider";
import type { CallKind } from "../bank.js";
import { BankConsents } from "./bank-consents.js";

export type TokenCheck =
  | { ok: true; customerId: string; accountIds: string[]; historyFrom?: Date }
  | { ok: false; status: 401; error: "invalid_token" }
  | { ok: false; status: 403; error: "insufficient_scope" };

/** A token oidc-provider verified: the stored record it was verified from, its end and its consent. */
interface VerifiedToken {
  stored: object;
  /** Epoch seconds, as oidc-provider's `exp`. */
  exp: number;
  consentId: string;
}

const INVALID = { ok: false, status: 401, error: "invalid_token" } as const;

/** Verified tokens remembered at most; past it, the expired ones are forgotten (then all, if none had). */
const MAX_REMEMBERED = 10_000;

export class TokenGuard {
  private readonly verified = new Map<string, VerifiedToken>();

  /** `storedToken`: the access token's stored record, the very object oidc-provider's adapter finds (undefined once deleted). */
  constructor(
    private readonly provider: () => Provider | undefined,
    private readonly consents: BankConsents,
    private readonly storedToken: (bearer: string) => object | undefined,
  ) {}

  /**
   * The check of a token verified before whose stored record is unchanged, answered at once;
   * undefined when the token must go (again) through oidc-provider: `check`.
   */
  checkRemembered(bearer: string | undefined, kind: CallKind): TokenCheck | undefined {
    if (!bearer) return INVALID;
    const known = this.verified.get(bearer);
    if (!known || known.stored !== this.storedToken(bearer)) return undefined;
    return isExpired(known.exp) ? INVALID : this.grantOf(known, kind);
  }

  async check(bearer: string | undefined, kind: CallKind): Promise<TokenCheck> {
    const provider = this.provider();
    if (!bearer || !provider) return INVALID;
    const token = await this.verifiedToken(provider, bearer);
    return token ? this.grantOf(token, kind) : INVALID;
  }

  /** What the token's consent, read now, grants for a call of this kind. */
  private grantOf(token: VerifiedToken, kind: CallKind): TokenCheck {
    const consent = this.consents.get(token.consentId);
    if (!BankConsents.isLive(consent)) return INVALID;
    if (kind !== "other" && kind !== "auth" && !consent.opens.includes(kind)) {
      return { ok: false, status: 403, error: "insufficient_scope" };
    }
    return {
      ok: true,
      customerId: consent.customerId,
      accountIds: consent.accountIds,
      ...(consent.historyFrom ? { historyFrom: new Date(consent.historyFrom) } : {}),
    };
  }

  private async verifiedToken(provider: Provider, bearer: string): Promise<VerifiedToken | undefined> {
    const stored = this.storedToken(bearer);
    const known = this.verified.get(bearer);
    if (!stored) {
      if (known) this.verified.delete(bearer);
      return undefined;
    }
    if (known?.stored === stored) return isExpired(known.exp) ? undefined : known;
    const token = await provider.AccessToken.find(bearer);
    if (!token || token.isExpired) return undefined;
    const consent = token.grantId ? this.consents.byGrant(token.grantId) : undefined;
    if (!consent || token.exp === undefined) return undefined;
    const verified = { stored, exp: token.exp, consentId: consent.id };
    this.remember(bearer, verified);
    return verified;
  }

  private remember(bearer: string, token: VerifiedToken): void {
    if (this.verified.size >= MAX_REMEMBERED) {
      for (const [key, known] of this.verified) if (isExpired(known.exp)) this.verified.delete(key);
      if (this.verified.size >= MAX_REMEMBERED) this.verified.clear();
    }
    this.verified.set(bearer, token);
  }
}

/** oidc-provider's own test (`exp <= now`, in whole seconds). */
function isExpired(exp: number): boolean {
  return exp <= Math.floor(Date.now() / 1000);
}
