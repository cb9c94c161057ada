/**
 * Linking and unlinking a bank: log in at the bank (the password goes to the bank and nowhere
 * else — it is never stored or logged), keep only the bank's access token, encrypted.
 */
import { ErrorCode, GatewayError, badInput, notFound } from "../errors.js";
import type { ConsentService } from "../consent/consent-service.js";
import type { Database } from "../store/database.js";
import { LinkStatus, type Link } from "../domain/link.js";
import { LinkRepository } from "../store/link-repository.js";
import type { TokenCipher } from "../store/token-cipher.js";
import type { ProviderSet } from "../providers/provider-set.js";
import { ProviderError } from "../providers/provider-error.js";
import type { Clock } from "../clock.js";

export interface LinkingServiceDeps {
  db: Database;
  clock: Clock;
  providers: ProviderSet;
  cipher: TokenCipher;
  consents: ConsentService;
  /** Told when a link's data must be forgotten (cache purge). */
  onLinkRemoved?: (linkId: string) => void;
}

export class LinkingService {
  constructor(private readonly deps: LinkingServiceDeps) {}

  /** Logs in at the bank and creates the link, or refreshes a LOGIN_REQUIRED one. */
  async link(userId: string, institutionId: string, username: string, password: string): Promise<Link> {
    const provider = this.deps.providers.get(institutionId);
    if (!provider) throw badInput(`Unknown institution: ${institutionId}`, { institutionId });
    if (!username || !password || username.length > 256 || password.length > 256) {
      throw badInput("username and password are required (at most 256 characters each)");
    }
    let session;
    try {
      session = await provider.authenticate({ username, password });
    } catch (error) {
      if (error instanceof ProviderError) throw error.toGatewayError();
      throw error;
    }
    const ciphertext = this.deps.cipher.encrypt(session.accessToken);
    const links = new LinkRepository(this.deps.db, this.deps.clock);
    const existing = await links.findLive(userId, institutionId);
    if (existing?.status === LinkStatus.ACTIVE) {
      throw new GatewayError(ErrorCode.CONFLICT, `${provider.name} is already linked`, { institutionId });
    }
    if (existing) return (await links.reactivate(existing.id, ciphertext)) ?? existing;
    return links.create(userId, institutionId, ciphertext);
  }

  /** Revokes the link's consents and removes its token, in one transaction. */
  async unlink(userId: string, linkId: string): Promise<Link> {
    const link = await this.deps.db.transaction(async (tx) => {
      const links = new LinkRepository(tx, this.deps.clock);
      const found = await links.forUser(linkId, userId);
      if (!found || found.status === LinkStatus.REVOKED) throw notFound("Link");
      await this.deps.consents.revokeAllForLink(linkId, userId, { tx });
      return (await links.revoke(linkId))!;
    });
    this.deps.onLinkRemoved?.(linkId);
    return link;
  }
}
