/**
 * Takes accepted bank events to the users they concern: finds every live link that sees the
 * event's account and publishes one message per link on that link's user's topic. Consent is NOT
 * decided here: it is decided at delivery, per subscriber, so a consent revoked after publishing
 * still stops the event.
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
import { userTopic, type RealtimeMessage } from "./realtime-message.js";
import type { PubSub } from "./pubsub/pub-sub.js";

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
  pubsub: PubSub<RealtimeMessage>;
  logger: Logger;
  /** Told for each link an event concerns, before the event is published. */
  onLinkChanged?: (linkId: string) => void;
}

export class BankEventRouter {
  private readonly routes: LinkAccountRepository;

  constructor(private readonly deps: BankEventRouterDeps) {
    this.routes = new LinkAccountRepository(deps.db);
  }

  /** Publishes each event to every user whose live link sees its account. Returns the messages published. */
  async route(institutionId: string, events: readonly BankEvent[]): Promise<number> {
    await this.scan(institutionId, null);
    let published = 0;
    for (const event of events) {
      let routes = await this.routes.routesFor(institutionId, event.accountId);
      if (routes.length === 0 && (await this.scan(institutionId, new Date(this.deps.clock.now().getTime() - RESCAN_AFTER_MS))) > 0) {
        routes = await this.routes.routesFor(institutionId, event.accountId);
      }
      published += await this.publish(institutionId, event, routes);
    }
    return published;
  }

  private async publish(institutionId: string, event: BankEvent, routes: readonly AccountRoute[]): Promise<number> {
    // First forget what the bank said before, so a subscriber that reads on the event sees the change.
    for (const { linkId } of routes) this.deps.onLinkChanged?.(linkId);
    await Promise.all(
      routes.map(({ linkId, userId }) => this.deps.pubsub.publish(userTopic(userId), { type: "BANK_EVENT", userId, linkId, institutionId, event })),
    );
    return routes.length;
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
