/**
 * The calling user's links for one request. Every bank read in a request starts from one of these
 * (through the bank gate, `src/loaders/bank-gate.ts`), so a link that is not the caller's can never
 * be reached.
 */
import type { UpstreamCache } from "../cache/upstream-cache.js";
import { LinkStatus, type Link } from "../domain/link.js";
import type { LinkRepository } from "../store/link-repository.js";
import type { TokenCipher } from "../store/token-cipher.js";
import type { ProviderSet } from "../providers/provider-set.js";
import type { BankSession } from "../providers/contract.js";
import { ProviderError } from "../providers/provider-error.js";
import { LinkLoaders } from "./link-loaders.js";

/**
 * Keeps a link's bank access token usable (Bankgraph refreshes it itself: `src/links/bank-oauth/bank-tokens.ts`).
 * Both update the link in place, or throw ProviderError LOGIN_REQUIRED when the bank refuses.
 */
export interface BankTokenSource {
  /** Refreshes when the access token is about to expire. */
  ensureFresh(link: Link): Promise<void>;
  /** The bank refused the access token `staleCiphertext`: one refresh (shared with whoever else asked). */
  refreshRefused(link: Link, staleCiphertext: string): Promise<void>;
}

export interface RequestLinksDeps {
  links: LinkRepository;
  providers: ProviderSet;
  cipher: TokenCipher;
  /** Refreshes expiring or refused access tokens; without it a link's token is used as stored. */
  bankTokens?: BankTokenSource;
  /** Shared by all requests of this instance (single flight; accounts, balances and transaction pages kept for the TTL). */
  upstreamCache?: UpstreamCache;
}

export class RequestLinks {
  private linksPromise: Promise<Link[]> | undefined;

  constructor(
    readonly userId: string,
    /** What the bank gate opens a link's loaders with. */
    readonly deps: RequestLinksDeps,
    /** Where the links come from when not from `deps.links` (a store read shared with the consents); called at most once. */
    private readonly load?: () => Promise<Link[]>,
  ) {}

  /** The user's live links (ACTIVE or LOGIN_REQUIRED), oldest first. */
  all(): Promise<Link[]> {
    this.linksPromise ??= (this.load ? this.load() : this.deps.links.listForUser(this.userId)).then((links) =>
      links.filter((l) => l.status !== LinkStatus.REVOKED),
    );
    return this.linksPromise;
  }

  /** The user's live link with this ID, or undefined (also for another user's link). */
  async byId(linkId: string): Promise<Link | undefined> {
    return (await this.all()).find((l) => l.id === linkId);
  }
}

/**
 * The raw loaders of one of the user's links; undefined when its bank is not configured.
 * Only the bank gate calls this (its readers are what resolvers get): raw loaders carry no
 * consent decision. test/consent/unit/bank-gate-boundary.test.ts keeps it that way.
 */
export function openLinkLoaders(link: Link, deps: RequestLinksDeps): LinkLoaders | undefined {
  const provider = deps.providers.get(link.institutionId);
  if (!provider) return undefined;
  // The status is checked on every read; the token is decrypted at most once per request (a
  // dashboard reads each link ~3 times), only for the ciphertext this request read from the store
  // (or a refresh stored since), and only when a bank is actually called: a read the upstream
  // cache answers never looks at the token, so a warm request decrypts nothing.
  let decrypted: { ciphertext: string; accessToken: string } | undefined;
  const decrypt = (ciphertext: string) => {
    if (decrypted?.ciphertext !== ciphertext) decrypted = { ciphertext, accessToken: deps.cipher.decrypt(ciphertext) };
    return decrypted.accessToken;
  };
  const usable = (): BankSession => {
    const ciphertext = link.accessTokenCiphertext;
    if (link.status !== LinkStatus.ACTIVE || !ciphertext) {
      throw new ProviderError("LOGIN_REQUIRED", link.institutionId, provider.name, "link is not active");
    }
    let accessToken: string | undefined;
    return {
      get accessToken() {
        return (accessToken ??= decrypt(ciphertext));
      },
    };
  };
  const tokens = deps.bankTokens;
  return new LinkLoaders({
    link,
    provider,
    upstream: deps.upstreamCache,
    session: async () => {
      if (link.status === LinkStatus.ACTIVE) await tokens?.ensureFresh(link);
      return usable();
    },
    refreshSession: tokens
      ? async (refused) => {
          // The ciphertext of the refused token: only a refresh that replaced exactly it counts.
          const stale = decrypted?.accessToken === refused.accessToken ? decrypted.ciphertext : link.accessTokenCiphertext;
          if (!stale) return usable();
          await tokens.refreshRefused(link, stale);
          return usable();
        }
      : undefined,
    onLoginRequired: async (linkId) => {
      if (link.status !== LinkStatus.ACTIVE) return;
      link.status = LinkStatus.LOGIN_REQUIRED;
      // A failed write must not replace the bank's LOGIN_REQUIRED with a store error.
      await deps.links.setStatus(linkId, LinkStatus.LOGIN_REQUIRED).catch(() => undefined);
    },
  });
}
