/**
 * The bank ended a link's grant: the person removed Bankgraph's access on the bank's own
 * connected-apps page (the bank says so in a signed security event, src/webhooks/), or the bank
 * refused the grant without a word (a 401, then `invalid_grant` on refresh: bank-oauth/bank-tokens.ts).
 * Both end the same way, in one place:
 *
 * - the link turns LOGIN_REQUIRED — not REVOKED, which is the person's own final "unlink" at Bankgraph:
 *   the link is repairable by authorizing at the bank again, exactly like a grant that ran out;
 * - every live consent of the link is REVOKED, actor SYSTEM, reason REVOKED_AT_BANK — the person
 *   withdrew at the bank, so a re-authorized link must not silently resume the apps' access: each app
 *   asks again;
 * - each app is told through the event log (CONSENT_REVOKED, written by ConsentService in the same
 *   transaction), and after commit the link's cached bank data is forgotten and subscribers are woken.
 */
import { ConsentActor, type Consent } from "../domain/consent.js";
import { LinkStatus, type Link } from "../domain/link.js";
import type { ConsentService } from "../consent/consent-service.js";
import type { Clock } from "../clock.js";
import type { Queryable } from "../store/database.js";
import { LinkRepository } from "../store/link-repository.js";

export interface RevokedAtBankDeps {
  clock: Clock;
  consents: ConsentService;
  /** After commit: the link's cached bank data must be forgotten. */
  onLinkChanged(linkId: string): void;
  /** After commit, once with the consents revoked: forget the link's cached data, wake the apps' subscriptions. */
  onRevoked(consents: readonly Consent[]): void;
}

export class RevokedAtBank {
  constructor(private readonly deps: RevokedAtBankDeps) {}

  /**
   * Inside the caller's transaction (which holds the link's row lock): the link LOGIN_REQUIRED, its
   * consents revoked. Returns what to {@link announce} once the transaction has committed.
   */
  async apply(tx: Queryable, link: Pick<Link, "id" | "userId">): Promise<Consent[]> {
    await new LinkRepository(tx, this.deps.clock).setStatus(link.id, LinkStatus.LOGIN_REQUIRED);
    return this.deps.consents.revokeAllForLink(link.id, link.userId, { tx, actor: ConsentActor.SYSTEM, reason: "REVOKED_AT_BANK" });
  }

  /** After the commit of {@link apply}: caches forget the link, apps' subscriptions wake. */
  announce(linkId: string, revoked: readonly Consent[]): void {
    this.deps.onLinkChanged(linkId);
    if (revoked.length > 0) this.deps.onRevoked(revoked);
  }
}
