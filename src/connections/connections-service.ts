/**
 * The person's side of their connections, for /connections: what each app can read at each bank
 * and what it did read, and the three ways to stop it — one consent, everything of one app, or a
 * bank for every app. Every call is for the signed-in person (`userId`) only: an id that is not
 * theirs is NOT_FOUND, exactly like an id that does not exist.
 *
 * Stopping goes through ConsentService / LinkingService, whose revoke hooks carry every side
 * effect (events to the app, cache purge, the bank told): this file adds none of its own.
 */
import { DAY_MS, type Clock } from "../clock.js";
import type { ConsentService } from "../consent/consent-service.js";
import { ConsentStatus, type Consent } from "../domain/consent.js";
import { LinkStatus, type Link } from "../domain/link.js";
import { notFound } from "../errors.js";
import type { LinkingService } from "../links/linking-service.js";
import { AccessHistoryRepository, type HistoryPosition } from "../store/access-history-repository.js";
import type { ConsentEvent } from "../store/consent-event-repository.js";
import type { Database } from "../store/database.js";
import { LinkRepository } from "../store/link-repository.js";
import { LinkSharedAccountRepository, type LinkSharedAccount as SharedAccount } from "../store/link-shared-account-repository.js";
import {
  EXPIRY_WARNING_DAYS,
  OPEN_STATUSES,
  type AppConnections,
  type ConnectedBank,
  type ConsentDetail,
  type Dashboard,
  type SharedWithApp,
} from "./connections-model.js";

export interface ConnectionsServiceDeps {
  db: Database;
  clock: Clock;
  consents: ConsentService;
  linking: LinkingService;
  /** The app's display name (its id when it is no longer registered). */
  appName: (clientId: string) => Promise<string>;
  institutionName: (institutionId: string) => string;
}

/** Days of reads the chart covers. */
export const CHART_DAYS = 30;
/** Entries per page of a consent's access history. */
export const HISTORY_PAGE_SIZE = 20;
/** Events of one consent shown (a consent has a handful; this only bounds a pathological one). */
const EVENT_LIMIT = 100;

export class ConnectionsService {
  private readonly links: LinkRepository;
  private readonly accessHistory: AccessHistoryRepository;
  private readonly sharedAccounts: LinkSharedAccountRepository;

  constructor(private readonly deps: ConnectionsServiceDeps) {
    this.links = new LinkRepository(deps.db, deps.clock);
    this.accessHistory = new AccessHistoryRepository(deps.db);
    this.sharedAccounts = new LinkSharedAccountRepository(deps.db);
  }

  /** Everything the dashboard shows; days of the chart counted in `timeZone`. */
  async dashboard(userId: string, timeZone: string): Promise<Dashboard> {
    const now = this.deps.clock.now();
    const [consents, links, readsPerDay] = await Promise.all([
      this.deps.consents.listForUser(userId),
      this.links.listForUser(userId, { includeRevoked: true }),
      this.accessHistory.readsPerDay(userId, new Date(now.getTime() - CHART_DAYS * DAY_MS), timeZone),
    ]);
    const deciding = decidingPerAppAndLink(consents);
    const described = await this.describe(userId, deciding, links, now);
    // One short list per app × bank (a consent has a handful of events): the person has few of these.
    const shared = await Promise.all(described.map(async (s) => ({ ...s, events: await this.events(userId, s.consent.id) })));
    const clientIds = [...new Set([...consents.map((c) => c.clientId), ...readsPerDay.map((r) => r.clientId)])];
    const appNames = new Map(await Promise.all(clientIds.map(async (id) => [id, await this.deps.appName(id)] as const)));
    const apps: AppConnections[] = [...groupBy(shared, (s) => s.consent.clientId)].map(([clientId, banks]) => ({
      clientId,
      appName: appNames.get(clientId) ?? clientId,
      banks: banks.sort((a, b) => a.institutionName.localeCompare(b.institutionName)),
      active: consents.some((c) => c.clientId === clientId && OPEN_STATUSES.includes(c.status)),
    }));
    apps.sort((a, b) => Number(b.active) - Number(a.active) || a.appName.localeCompare(b.appName));
    const banks: ConnectedBank[] = links
      .filter((l) => l.status !== LinkStatus.REVOKED)
      .map((l) => ({
        linkId: l.id,
        institutionId: l.institutionId,
        institutionName: this.deps.institutionName(l.institutionId),
        status: l.status,
        appNames: [...new Set(consents.filter((c) => c.linkId === l.id && OPEN_STATUSES.includes(c.status)).map((c) => appNames.get(c.clientId)!))].sort(),
      }));
    return { apps, banks, readsPerDay, appNames };
  }

  /** One of the person's consents with its events and a page of its access history. NOT_FOUND if not theirs. */
  async consent(userId: string, consentId: string, position: HistoryPosition = {}): Promise<ConsentDetail> {
    const consent = await this.deps.consents.getForUser(consentId, userId);
    const link = await this.links.forUser(consent.linkId, userId);
    if (!link) throw notFound("Consent");
    const [[shared], events, history, appName] = await Promise.all([
      this.describe(userId, [consent], [link], this.deps.clock.now()),
      this.events(userId, consentId),
      this.accessHistory.forConsent(userId, consentId, HISTORY_PAGE_SIZE, position),
      this.deps.appName(consent.clientId),
    ]);
    return { shared: shared!, appName, events, history };
  }

  /** Stops one consent (actor USER): REVOKED before this returns. NOT_FOUND if not the person's. */
  stopConsent(userId: string, consentId: string): Promise<Consent> {
    return this.deps.consents.revoke(consentId, { userId });
  }

  /** The person's open consents for one app; NOT_FOUND when they never shared anything with it. */
  async openConsentsOfApp(userId: string, clientId: string): Promise<{ appName: string; open: SharedWithApp[] }> {
    const all = await this.deps.consents.listForUser(userId, { clientId });
    if (all.length === 0) throw notFound("App");
    const open = all.filter((c) => OPEN_STATUSES.includes(c.status));
    const links = await this.links.listForUser(userId, { includeRevoked: true });
    return { appName: await this.deps.appName(clientId), open: await this.describe(userId, open, links, this.deps.clock.now()) };
  }

  /** Stops everything one app may read for the person, consent by consent; returns those stopped. */
  async stopApp(userId: string, clientId: string): Promise<Consent[]> {
    const { open } = await this.openConsentsOfApp(userId, clientId);
    const stopped: Consent[] = [];
    for (const { consent } of open) stopped.push(await this.deps.consents.revoke(consent.id, { userId }));
    return stopped;
  }

  /** One of the person's live bank links, with the apps it serves; NOT_FOUND if not theirs or already removed. */
  async bank(userId: string, linkId: string): Promise<ConnectedBank> {
    const link = await this.links.forUser(linkId, userId);
    if (!link || link.status === LinkStatus.REVOKED) throw notFound("Link");
    const open = (await this.deps.consents.listForUser(userId, { linkId })).filter((c) => OPEN_STATUSES.includes(c.status));
    const appNames = await Promise.all([...new Set(open.map((c) => c.clientId))].map((id) => this.deps.appName(id)));
    return {
      linkId,
      institutionId: link.institutionId,
      institutionName: this.deps.institutionName(link.institutionId),
      status: link.status,
      appNames: appNames.sort(),
    };
  }

  /** Unlinks a bank for every app (LinkingService: its consents revoked, its token dropped). */
  async unlinkBank(userId: string, linkId: string): Promise<void> {
    await this.deps.linking.unlink(userId, linkId);
  }

  private async events(userId: string, consentId: string): Promise<ConsentEvent[]> {
    return (await this.deps.consents.listEvents(userId, { consentId, first: EVENT_LIMIT })).items;
  }

  /** The page data of each consent: bank, accounts, last access, expiry warning. */
  private async describe(userId: string, consents: readonly Consent[], links: readonly Link[], now: Date): Promise<SharedWithApp[]> {
    const linkById = new Map(links.map((l) => [l.id, l]));
    const [lastAccess, accounts] = await Promise.all([
      this.accessHistory.lastAccess(
        userId,
        consents.map((c) => c.id),
      ),
      this.sharedAccounts.forLinks([...new Set(consents.map((c) => c.linkId))]),
    ]);
    const accountsOf = groupBy(accounts, (a: SharedAccount) => a.linkId);
    return consents.flatMap((consent) => {
      const link = linkById.get(consent.linkId);
      if (!link) return [];
      return [
        {
          consent,
          institutionId: link.institutionId,
          institutionName: this.deps.institutionName(link.institutionId),
          linkStatus: link.status,
          accounts: accountsOf.get(link.id) ?? [],
          lastAccessedAt: lastAccess.get(consent.id) ?? null,
          expiryWarning: expiryWarning(consent, now),
        },
      ];
    });
  }
}

/** Per (app, link): the AUTHORIZED consent if there is one, else the newest (`consents` come newest first). */
function decidingPerAppAndLink(consents: readonly Consent[]): Consent[] {
  const chosen = new Map<string, Consent>();
  for (const consent of consents) {
    const key = `${consent.clientId}\n${consent.linkId}`;
    const current = chosen.get(key);
    if (!current || (current.status !== ConsentStatus.AUTHORIZED && consent.status === ConsentStatus.AUTHORIZED)) chosen.set(key, consent);
  }
  return [...chosen.values()];
}

/** The tightest warning window an AUTHORIZED consent's end falls in, or null. */
export function expiryWarning(consent: Consent, now: Date): SharedWithApp["expiryWarning"] {
  if (consent.status !== ConsentStatus.AUTHORIZED || !consent.expiresAt) return null;
  const left = consent.expiresAt.getTime() - now.getTime();
  const windows = [...EXPIRY_WARNING_DAYS].sort((a, b) => a - b);
  return windows.find((days) => left <= days * DAY_MS) ?? null;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
