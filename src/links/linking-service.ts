/**
 * Unlinking a bank. Linking happens at the bank itself — the person logs in on the bank's own page
 * and Bankgraph gets an OAuth grant (`bank-oauth/bank-oauth-service.ts`); no bank password ever
 * reaches Bankgraph.
 */
import { notFound } from "../errors.js";
import type { ConsentService } from "../consent/consent-service.js";
import type { Database, Queryable } from "../store/database.js";
import { LinkStatus, type Link } from "../domain/link.js";
import { LinkRepository } from "../store/link-repository.js";
import type { TokenCipher } from "../store/token-cipher.js";
import type { ProviderSet } from "../providers/provider-set.js";
import type { Clock } from "../clock.js";

export interface LinkingServiceDeps {
  db: Database;
  clock: Clock;
  providers: ProviderSet;
  cipher: TokenCipher;
  consents: ConsentService;
  /** Told after an unlink committed: the link's data must be forgotten (cache purge), what is owed sent. */
  onLinkRemoved?: (linkId: string, userId: string) => void;
  /** Told inside the unlinking transaction, after the consents were revoked (Bankgraph's grant at the bank is to be revoked too). */
  onLinkRemovingInTransaction?: (tx: Queryable, linkId: string) => Promise<void>;
}

export class LinkingService {
  constructor(private readonly deps: LinkingServiceDeps) {}

  /** Revokes the link's consents and removes its token, in one transaction (the bank is told after commit). */
  async unlink(userId: string, linkId: string): Promise<Link> {
    const link = await this.deps.db.transaction(async (tx) => {
      const links = new LinkRepository(tx, this.deps.clock);
      const found = await links.forUser(linkId, userId);
      if (!found || found.status === LinkStatus.REVOKED) throw notFound("Link");
      await this.deps.consents.revokeAllForLink(linkId, userId, { tx });
      await this.deps.onLinkRemovingInTransaction?.(tx, linkId);
      return (await links.revoke(linkId))!;
    });
    this.deps.onLinkRemoved?.(linkId, userId);
    return link;
  }
}
