/**
 * What the person's dashboard (/connections) shows, as plain data: every app they share with, and
 * under it every bank; their banks; how often each app read. Built by `ConnectionsService`; the
 * pages (src/web/connections/) only render it.
 */
import { ConsentStatus, type Consent } from "../domain/consent.js";
import type { LinkStatus } from "../domain/link.js";
import type { AccessHistoryPage, DailyReads } from "../store/access-history-repository.js";
import type { ConsentEvent } from "../store/consent-event-repository.js";
import type { LinkSharedAccount as SharedAccount } from "../store/link-shared-account-repository.js";

/** Days before the end at which the person is warned (the app is warned on the same days). */
export const EXPIRY_WARNING_DAYS = [30, 7] as const;

/** One app's access at one bank: the consent that decides it now. */
export interface SharedWithApp {
  /** Its status is the effective one now. */
  consent: Consent;
  institutionId: string;
  institutionName: string;
  linkStatus: LinkStatus;
  /** The accounts chosen at the bank (masked); empty for a link made before they were recorded. */
  accounts: SharedAccount[];
  lastAccessedAt: Date | null;
  /** 7 or 30 when an AUTHORIZED consent ends within that many days; null otherwise. */
  expiryWarning: (typeof EXPIRY_WARNING_DAYS)[number] | null;
}

/** One app's access at one bank on the dashboard, with the permission's history. */
export interface SharedWithAppHistory extends SharedWithApp {
  events: ConsentEvent[];
}

/** One app and what it can (or could) read, bank by bank. */
export interface AppConnections {
  clientId: string;
  appName: string;
  banks: SharedWithAppHistory[];
  /** True when some consent of the app is still open (there is something to stop). */
  active: boolean;
}

/** One of the person's live bank links, and which apps it serves. */
export interface ConnectedBank {
  linkId: string;
  institutionId: string;
  institutionName: string;
  status: LinkStatus;
  /** Apps with an open consent on this link. */
  appNames: string[];
}

/** The whole dashboard of one person. */
export interface Dashboard {
  apps: AppConnections[];
  banks: ConnectedBank[];
  /** Reads per app per day (the person's days) over the chart's window. */
  readsPerDay: DailyReads[];
  appNames: ReadonlyMap<string, string>;
}

/** One consent in full: the page behind "Access history". */
export interface ConsentDetail {
  shared: SharedWithApp;
  appName: string;
  events: ConsentEvent[];
  history: AccessHistoryPage;
}

/** Statuses under which a consent still lets, or may soon let, an app read. */
export const OPEN_STATUSES: readonly ConsentStatus[] = [ConsentStatus.AUTHORIZED, ConsentStatus.AWAITING_AUTHORIZATION];
