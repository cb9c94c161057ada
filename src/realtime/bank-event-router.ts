/**
 * Finds the people a bank event concerns: every live link that sees the event's account. The
 * webhook intake appends one log entry per such link (src/realtime/event-outbox.ts). Consent is
 * NOT decided here: it is decided at delivery, per subscriber, so a consent revoked after the
 * event was logged still stops it.
 *
 * The account → link table fills itself: before routing, links of the institution that were
 * never scanned have their accounts listed (with the link's own bank token); an account no link
 * is known to see triggers a rescan of links not scanned for RESCAN_AFTER_MS (a new account).
 */
import type { Clock } from "../clock.js";
import type { Logger } from "../observability/logger.js";
import type { ProviderSet } from "../providers/provider-set.js";
import type { Database } from "../store/database.js";
import { LinkAccountRepository, type AccountRoute } from "../store/link-account-repository.js";
import type { TokenCipher } from "../store/token-cipher.js";
import type { BankEvent } from "../domain/bank-event.js";

/** Links scanned per routing call at most, so one event never fans out into unbounded bank calls. */
const SCAN_BATCH = 25;
/** An unknown account rescans links whose account list is older than this. */
const RESCAN_AFTER_MS = 10 * 60_000;

/** What {@link BankEventRouter} needs. */
export interface BankEventRouterDeps {
  db: Database;
  clock: Clock;
  providers: ProviderSet;
  cipher: TokenCipher;
  /** The link's usable bank access token, refreshed when about to expire; default: the stored one, decrypted. */
  accessTokenFor?: (linkId: string) => Promise<string>;
  logger: Logger;
}

export class BankEventRouter {
  private readonly routes: LinkAccountRepository;

  constructor(private readonly deps: BankEventRouterDeps) {
    this.routes = new LinkAccountRepository(deps.db);
  }

  /**
   * The (link, user) pairs each event concerns, in the order of `events`. May call the bank to
   * list a link's accounts, so call it before (never inside) the transaction that logs the events.
   */
  async routesOf(institutionId: string, events: readonly BankEvent[]): Promise<AccountRoute[][]> {
    const accounts = events.map((e) => e.accountId);
    // Normally ONE read: every event's routes, and whether a link was never scanned (then it is, and the routes are read again).
    const first = await this.routes.routesOfAccounts(institutionId, accounts);
    let { routes } = first;
    const { unscanned } = first;
    if (unscanned && (await this.scan(institutionId, null)) > 0) ({ routes } = await this.routes.routesOfAccounts(institutionId, accounts));
    // An account no link is known to see: maybe a new one, so links not listed for a while are listed again.
    if (routes.some((r) => r.length === 0) && (await this.scan(institutionId, new Date(this.deps.clock.now().getTime() - RESCAN_AFTER_MS))) > 0) {
      ({ routes } = await this.routes.routesOfAccounts(institutionId, accounts));
    }
    return routes;
  }

  /** Lists the accounts of links due for a scan; returns how many links were scanned. */
  private async scan(institutionId: string, scannedBefore: Date | null): Promise<number> {
    const provider = this.deps.providers.get(institutionId);
    if (!provider) return 0;
    const due = await this.routes.linksToScan(institutionId, scannedBefore, SCAN_BATCH);
    const results = await Promise.all(
      due.map(async (link) => {
        try {
          const accessToken = this.deps.accessTokenFor ? await this.deps.accessTokenFor(link.linkId) : this.deps.cipher.decrypt(link.accessTokenCiphertext);
          const accounts = await provider.listAccounts({ accessToken });
          await this.routes.saveScan(
            link.linkId,
            institutionId,
            accounts.map((a) => a.id),
            this.deps.clock.now(),
          );
          return 1;
        } catch (error) {
          // Left unscanned: the next event tries again. The bank's reason, never its token, is logged.
          this.deps.logger.warn({ institutionId, linkId: link.linkId, err: (error as Error).message }, "could not list a link's accounts for event routing");
          return 0;
        }
      }),
    );
    return results.reduce<number>((a, b) => a + b, 0);
  }
}
