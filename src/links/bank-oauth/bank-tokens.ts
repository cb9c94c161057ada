/**
 * Bankgraph refreshes the banks' access tokens itself, once across all instances. An access token
 * within {@link REFRESH_MARGIN_MS} of its expiry — or one the bank just refused (401) — is refreshed:
 * - in this process, one refresh per link at a time (single flight: concurrent reads share it);
 * - across instances, under a row lock on the link (`SELECT … FOR UPDATE` in a transaction): after
 *   the lock the row is read again, and when another instance has already stored a new access token
 *   that one is used, so a race never spends the rotated refresh token twice (the bank would refuse
 *   the second use and the link would be lost);
 * - the bank's answer (new access token, its expiry, the rotated refresh token) is stored encrypted
 *   before the lock is released.
 * The grant having ended turns the link LOGIN_REQUIRED; the person re-links through a new authorization.
 * The bank refusing the refresh token (`invalid_grant`) before then means the grant was revoked at the
 * bank without notice: handled like the bank's signed notice of it (../revoked-at-bank.ts) — the link
 * LOGIN_REQUIRED and its consents revoked (actor SYSTEM, reason REVOKED_AT_BANK) in the same transaction.
 * No token is ever logged or put in an error.
 */
import * as oauth from "oauth4webapi";
import type { Clock } from "../../clock.js";
import type { Consent } from "../../domain/consent.js";
import { LinkStatus, type Link } from "../../domain/link.js";
import { ProviderError } from "../../providers/provider-error.js";
import type { Database } from "../../store/database.js";
import { LinkRepository } from "../../store/link-repository.js";
import type { TokenCipher } from "../../store/token-cipher.js";
import type { RevokedAtBank } from "../revoked-at-bank.js";
import { callBank, type BankOAuthClients } from "./bank-oauth-clients.js";

/** An access token this close to its expiry is refreshed before use. */
export const REFRESH_MARGIN_MS = 30_000;

export interface BankTokensDeps {
  db: Database;
  clock: Clock;
  cipher: TokenCipher;
  clients: BankOAuthClients;
  names: (institutionId: string) => string;
  /** What a grant the bank refused (`invalid_grant`) does to the link's consents; without it only the link changes. */
  revokedAtBank?: RevokedAtBank;
  /** Told after each refresh the bank answered (metrics, tests). */
  onRefresh?: (institutionId: string, outcome: "REFRESHED" | "REUSED" | "LOGIN_REQUIRED") => void;
}

/** What one refresh under the lock ended with (a refusal is thrown only after the transaction commits). */
type Locked = { link: Link; outcome: "REFRESHED" | "REUSED" } | { loginRequired: string; revoked?: Consent[] };

export class BankTokens {
  private readonly inFlight = new Map<string, Promise<Link>>();

  constructor(private readonly deps: BankTokensDeps) {}

  /** Whether the link's access token is good for at least the margin (a token without a known expiry is trusted until the bank refuses it). */
  isFresh(link: Pick<Link, "accessTokenExpiresAt">): boolean {
    return !link.accessTokenExpiresAt || link.accessTokenExpiresAt.getTime() - this.deps.clock.now().getTime() > REFRESH_MARGIN_MS;
  }

  /** Refreshes the link's tokens when its access token is about to expire; `link` is updated in place. */
  async ensureFresh(link: Link): Promise<void> {
    if (link.status !== LinkStatus.ACTIVE || !link.accessTokenCiphertext || this.isFresh(link)) return;
    Object.assign(link, await this.refresh(link, link.accessTokenCiphertext));
  }

  /** The link's usable access token (refreshed first when about to expire), for system paths that start from a link id (event routing). */
  async accessTokenFor(linkId: string): Promise<string> {
    const link = await new LinkRepository(this.deps.db, this.deps.clock).findById(linkId);
    if (!link || link.status !== LinkStatus.ACTIVE || !link.accessTokenCiphertext) {
      throw new ProviderError(
        "LOGIN_REQUIRED",
        link?.institutionId ?? "unknown",
        link ? this.deps.names(link.institutionId) : "the bank",
        "link is not active",
      );
    }
    await this.ensureFresh(link);
    return this.deps.cipher.decrypt(link.accessTokenCiphertext);
  }

  /** The bank refused the access token `staleCiphertext` (401): refresh once (or take the one another request already got); `link` is updated in place. */
  async refreshRefused(link: Link, staleCiphertext: string): Promise<void> {
    Object.assign(link, await this.refresh(link, staleCiphertext));
  }

  /** One refresh per link in this process at a time; its result is shared by every caller that asked meanwhile. */
  private refresh(link: Link, staleCiphertext: string): Promise<Link> {
    let running = this.inFlight.get(link.id);
    if (!running) {
      running = this.refreshUnderLock(link, staleCiphertext).finally(() => this.inFlight.delete(link.id));
      this.inFlight.set(link.id, running);
    }
    return running;
  }

  private async refreshUnderLock(link: Link, staleCiphertext: string): Promise<Link> {
    const name = this.deps.names(link.institutionId);
    const result = await this.deps.db.transaction(async (tx): Promise<Locked> => {
      const links = new LinkRepository(tx, this.deps.clock);
      const current = await links.lockLive(link.id);
      if (!current || current.status !== LinkStatus.ACTIVE || !current.accessTokenCiphertext) return { loginRequired: "link is not active" };
      // Another instance (or request) refreshed while we waited for the lock: its token is ours.
      if (current.accessTokenCiphertext !== staleCiphertext && this.isFresh(current)) return { link: current, outcome: "REUSED" };
      const ended = current.grantExpiresAt && current.grantExpiresAt.getTime() <= this.deps.clock.now().getTime();
      if (!current.refreshTokenCiphertext || ended) {
        await links.setStatus(link.id, LinkStatus.LOGIN_REQUIRED);
        return { loginRequired: ended ? "the bank grant has ended" : "no refresh token" };
      }
      const client = await this.deps.clients.for(link.institutionId);
      let tokens: oauth.TokenEndpointResponse;
      try {
        tokens = await callBank(link.institutionId, name, "refresh", async () =>
          oauth.processRefreshTokenResponse(
            client.as,
            client.client,
            await oauth.refreshTokenGrantRequest(
              client.as,
              client.client,
              client.auth,
              this.deps.cipher.decrypt(current.refreshTokenCiphertext!),
              client.options(),
            ),
          ),
        );
      } catch (error) {
        if (error instanceof oauth.ResponseBodyError && error.error === "invalid_grant") {
          const revoked = this.deps.revokedAtBank ? await this.deps.revokedAtBank.apply(tx, current) : [];
          if (!this.deps.revokedAtBank) await links.setStatus(link.id, LinkStatus.LOGIN_REQUIRED);
          return { loginRequired: "the bank refused the refresh token (invalid_grant)", revoked };
        }
        if (error instanceof ProviderError) throw error;
        throw new ProviderError("UPSTREAM_ERROR", link.institutionId, name, `refresh failed: ${(error as { error?: string }).error ?? (error as Error).name}`);
      }
      const saved = await links.saveRefreshedTokens(link.id, {
        accessTokenCiphertext: this.deps.cipher.encrypt(tokens.access_token),
        accessTokenExpiresAt: expiryOf(tokens, this.deps.clock),
        refreshTokenCiphertext: tokens.refresh_token ? this.deps.cipher.encrypt(tokens.refresh_token) : null,
      });
      return saved ? { link: saved, outcome: "REFRESHED" } : { loginRequired: "link is not active" };
    });
    if ("loginRequired" in result) {
      if (result.revoked) this.deps.revokedAtBank?.announce(link.id, result.revoked);
      this.deps.onRefresh?.(link.institutionId, "LOGIN_REQUIRED");
      link.status = LinkStatus.LOGIN_REQUIRED;
      throw new ProviderError("LOGIN_REQUIRED", link.institutionId, name, result.loginRequired);
    }
    this.deps.onRefresh?.(link.institutionId, result.outcome);
    return result.link;
  }
}

/** When a token response's access token expires, from `expires_in`; null when the bank did not say. */
export function expiryOf(tokens: oauth.TokenEndpointResponse, clock: Clock): Date | null {
  return typeof tokens.expires_in === "number" ? new Date(clock.now().getTime() + tokens.expires_in * 1000) : null;
}
