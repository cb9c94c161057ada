/**
 * The calling user's links for one request, and one set of loaders per link. Every bank read in
 * a request starts here, so a link that is not the caller's can never be reached.
 */
import type { UpstreamCache } from "../cache/upstream-cache.js";
import { LinkStatus, type Link } from "../domain/link.js";
import type { LinkRepository } from "../store/link-repository.js";
import type { TokenCipher } from "../store/token-cipher.js";
import type { ProviderSet } from "../providers/provider-set.js";
import { ProviderError } from "../providers/provider-error.js";
import { LinkLoaders } from "./link-loaders.js";

export interface RequestLinksDeps {
  links: LinkRepository;
  providers: ProviderSet;
  cipher: TokenCipher;
  /** Shared by all requests of this instance (single flight; accounts, balances and transaction pages kept for the TTL). */
  upstreamCache?: UpstreamCache;
}

export class RequestLinks {
  private linksPromise: Promise<Link[]> | undefined;
  private readonly loaderCache = new Map<string, LinkLoaders>();

  constructor(
    readonly userId: string,
    private readonly deps: RequestLinksDeps,
  ) {}

  /** The user's live links (ACTIVE or LOGIN_REQUIRED), oldest first. */
  all(): Promise<Link[]> {
    this.linksPromise ??= this.deps.links
      .listForUser(this.userId)
      .then((links) => links.filter((l) => l.status !== LinkStatus.REVOKED));
    return this.linksPromise;
  }

  /** The user's live link with this ID, or undefined (also for another user's link). */
  async byId(linkId: string): Promise<Link | undefined> {
    return (await this.all()).find((l) => l.id === linkId);
  }

  /** Loaders for one of the user's links; undefined when its bank is not configured. */
  loaders(link: Link): LinkLoaders | undefined {
    let loaders = this.loaderCache.get(link.id);
    if (loaders) return loaders;
    const provider = this.deps.providers.get(link.institutionId);
    if (!provider) return undefined;
    loaders = new LinkLoaders({
      link,
      provider,
      upstream: this.deps.upstreamCache,
      session: () => {
        if (link.status !== LinkStatus.ACTIVE || !link.accessTokenCiphertext) {
          throw new ProviderError("LOGIN_REQUIRED", link.institutionId, provider.name, "link is not active");
        }
        return { accessToken: this.deps.cipher.decrypt(link.accessTokenCiphertext) };
      },
      onLoginRequired: async (linkId) => {
        if (link.status !== LinkStatus.ACTIVE) return;
        link.status = LinkStatus.LOGIN_REQUIRED;
        // A failed write must not replace the bank's LOGIN_REQUIRED with a store error.
        await this.deps.links.setStatus(linkId, LinkStatus.LOGIN_REQUIRED).catch(() => undefined);
      },
    });
    this.loaderCache.set(link.id, loaders);
    return loaders;
  }
}
