/**
 * The one consent decision, and the calling client's consents over the calling user's links,
 * loaded once per request and then answered synchronously — so the guard on a 10k-item list costs
 * a map lookup per field, not a query.
 *
 * Everything that withholds bank data asks {@link decide}: the `@requiresScopes` guard, the bank
 * gate (`src/loaders/bank-gate.ts`) that every bank read passes, and the subscription deliveries.
 */
import type { Clock } from "../clock.js";
import type { EffectiveConsent } from "./consent-service.js";
import { ConsentStatus, type Consent } from "../domain/consent.js";
import { effectiveStatus } from "./lifecycle.js";

/** Why a guarded field was withheld. */
export enum DenialReason {
  NOT_GRANTED = "NOT_GRANTED",
  EXPIRED = "EXPIRED",
  REVOKED = "REVOKED",
  REJECTED = "REJECTED",
  AWAITING_AUTHORIZATION = "AWAITING_AUTHORIZATION",
}

/**
 * How far back a granted consent lets the app see: `earliest` is the first visible date
 * (`YYYY-MM-DD`, UTC, inclusive), or null when the consent sets no `historyDays`.
 */
export interface HistoryWindow {
  earliest: string | null;
}

/** A granted decision: the deciding consent, the alternative that satisfied the requirement, and the history window. */
export interface Grant {
  granted: true;
  consent: Consent;
  scopes: readonly string[];
  window: HistoryWindow;
}

/**
 * A denial, with the reason the app is told and the consent that decided it (null when the client
 * has no consent on the link at all): naming it lets the app ask for the wider one in one call.
 */
export interface Denial {
  granted: false;
  reason: DenialReason;
  decidedBy: Pick<Consent, "id" | "linkId"> | null;
}

export type Decision = Grant | Denial;

/** Outer list OR, inner list AND: `[["a","b"],["c"]]` = (a AND b) OR c. */
export type ScopeRequirement = readonly (readonly string[])[];

const DAY_MS = 86_400_000;

const DENIAL_FOR: Record<ConsentStatus, DenialReason | undefined> = {
  [ConsentStatus.AUTHORIZED]: undefined,
  [ConsentStatus.EXPIRED]: DenialReason.EXPIRED,
  [ConsentStatus.REVOKED]: DenialReason.REVOKED,
  [ConsentStatus.REJECTED]: DenialReason.REJECTED,
  [ConsentStatus.AWAITING_AUTHORIZATION]: DenialReason.AWAITING_AUTHORIZATION,
};

/**
 * THE decision: may data needing `requirement` be read under `effective` (the consent that covers
 * the link for the calling client) at `now`? The status is taken at `now` (an authorized consent
 * whose `expiresAt` has come is EXPIRED, whatever the store says), and a grant carries the history
 * window as of `now`.
 */
export function decide(effective: Pick<EffectiveConsent, "consent"> | undefined, requirement: ScopeRequirement, now: Date): Decision {
  if (requirement.length === 0 || requirement.some((all) => all.length === 0)) {
    // An empty alternative would be satisfied by any consent: refuse the malformed requirement instead.
    throw new Error(`decide: a requirement needs at least one alternative and a scope in each, got ${JSON.stringify(requirement)}`);
  }
  if (!effective) return { granted: false, reason: DenialReason.NOT_GRANTED, decidedBy: null };
  const { consent } = effective;
  const decidedBy = { id: consent.id, linkId: consent.linkId };
  const denial = DENIAL_FOR[effectiveStatus(consent, now)];
  if (denial) return { granted: false, reason: denial, decidedBy };
  const granted: ReadonlySet<string> = new Set(consent.scopes);
  const satisfied = requirement.find((all) => all.every((scope) => granted.has(scope)));
  return satisfied
    ? { granted: true, consent, scopes: satisfied, window: historyWindowAt(consent.historyDays, now) }
    : { granted: false, reason: DenialReason.NOT_GRANTED, decidedBy };
}

/** The window `historyDays` opens at `now`: the date `historyDays` days back, or unbounded. */
export function historyWindowAt(historyDays: number | null, now: Date): HistoryWindow {
  return { earliest: historyDays == null ? null : new Date(now.getTime() - historyDays * DAY_MS).toISOString().slice(0, 10) };
}

/** True when a row dated `date` (`YYYY-MM-DD` or an instant) lies inside the window. */
export function withinWindow(window: HistoryWindow, date: string | Date): boolean {
  if (window.earliest === null) return true;
  const day = typeof date === "string" ? date.slice(0, 10) : date.toISOString().slice(0, 10);
  return day >= window.earliest;
}

/**
 * The request's consents and its memo of decisions. The consents are loaded once and the clock
 * is read once, when they are: every decision of one request is taken at the same instant, so a
 * request cannot see two different history windows or a consent both live and expired.
 */
export class ConsentView {
  private loaded: Map<string, EffectiveConsent> | undefined;
  private loading: Promise<Map<string, EffectiveConsent>> | undefined;
  private at: Date | undefined;
  /**
   * Decisions taken so far, by requirement (the guard's own array, one per field; the gate's one
   * per scope) and link. The loaded consents never change, so neither does a decision: a response
   * with 10k guarded fields costs 10k lookups, not 10k decisions.
   */
  private readonly decided = new Map<ScopeRequirement, Map<string, Decision>>();

  constructor(
    private readonly load: () => Promise<Map<string, EffectiveConsent>>,
    private readonly clock: Clock,
  ) {}

  /** Loads the consents (once). */
  ready(): Promise<Map<string, EffectiveConsent>> {
    this.loading ??= this.load().then((map) => {
      this.at = this.clock.now();
      return (this.loaded = map);
    });
    return this.loading;
  }

  /** The decision if the consents are loaded, else undefined (call `ready()` first). */
  decideNow(linkId: string, requirement: ScopeRequirement): Decision | undefined {
    if (!this.loaded) return undefined;
    let byLink = this.decided.get(requirement);
    if (!byLink) this.decided.set(requirement, (byLink = new Map<string, Decision>()));
    let decision = byLink.get(linkId);
    if (!decision) byLink.set(linkId, (decision = decide(this.loaded.get(linkId), requirement, this.at!)));
    return decision;
  }

  /** The decision, loading the consents first if need be (memoized like {@link decideNow}). */
  async decide(linkId: string, requirement: ScopeRequirement): Promise<Decision> {
    await this.ready();
    return this.decideNow(linkId, requirement)!;
  }
}
