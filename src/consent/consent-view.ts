/**
 * The calling client's consents over the calling user's links, loaded once per request and then
 * answered synchronously — so the guard on a 10k-item list costs a map lookup per field, not a query.
 */
import type { EffectiveConsent } from "./consent-service.js";
import { ConsentStatus, type Consent } from "../domain/consent.js";

/** Why a guarded field was withheld. */
export enum DenialReason {
  NOT_GRANTED = "NOT_GRANTED",
  EXPIRED = "EXPIRED",
  REVOKED = "REVOKED",
  REJECTED = "REJECTED",
  AWAITING_AUTHORIZATION = "AWAITING_AUTHORIZATION",
}

export type Decision =
  | { granted: true; consent: Consent; scopes: readonly string[] }
  | { granted: false; reason: DenialReason };

/** Outer list OR, inner list AND: `[["a","b"],["c"]]` = (a AND b) OR c. */
export type ScopeRequirement = readonly (readonly string[])[];

const DENIAL_FOR: Partial<Record<ConsentStatus, DenialReason>> = {
  [ConsentStatus.EXPIRED]: DenialReason.EXPIRED,
  [ConsentStatus.REVOKED]: DenialReason.REVOKED,
  [ConsentStatus.REJECTED]: DenialReason.REJECTED,
  [ConsentStatus.AWAITING_AUTHORIZATION]: DenialReason.AWAITING_AUTHORIZATION,
};

export class ConsentView {
  private loaded: Map<string, EffectiveConsent> | undefined;
  private loading: Promise<Map<string, EffectiveConsent>> | undefined;
  /**
   * Decisions taken so far, by requirement (the guard's own array, one per field) and link. The
   * loaded consents never change, so neither does a decision: a response with 10k guarded fields
   * costs 10k lookups, not 10k decisions (and the access recorder records each decision once).
   */
  private readonly decided = new Map<ScopeRequirement, Map<string, Decision>>();

  constructor(private readonly load: () => Promise<Map<string, EffectiveConsent>>) {}

  /** Loads the consents (once). */
  ready(): Promise<Map<string, EffectiveConsent>> {
    this.loading ??= this.load().then((map) => (this.loaded = map));
    return this.loading;
  }

  /** The decision if the consents are loaded, else undefined (call `ready()` first). */
  decideNow(linkId: string, requirement: ScopeRequirement): Decision | undefined {
    if (!this.loaded) return undefined;
    let byLink = this.decided.get(requirement);
    if (!byLink) this.decided.set(requirement, (byLink = new Map()));
    let decision = byLink.get(linkId);
    if (!decision) byLink.set(linkId, (decision = decide(this.loaded.get(linkId), requirement)));
    return decision;
  }

  async decide(linkId: string, requirement: ScopeRequirement): Promise<Decision> {
    return decide((await this.ready()).get(linkId), requirement);
  }

  /** The effective consent for a link, if any (for history windows and listings). */
  async consentFor(linkId: string): Promise<EffectiveConsent | undefined> {
    return (await this.ready()).get(linkId);
  }
}

export function decide(effective: EffectiveConsent | undefined, requirement: ScopeRequirement): Decision {
  if (!effective) return { granted: false, reason: DenialReason.NOT_GRANTED };
  const denial = DENIAL_FOR[effective.status];
  if (denial) return { granted: false, reason: denial };
  const granted = effective.scopes as ReadonlySet<string>;
  const satisfied = requirement.find((all) => all.every((scope) => granted.has(scope)));
  return satisfied
    ? { granted: true, consent: effective.consent, scopes: satisfied }
    : { granted: false, reason: DenialReason.NOT_GRANTED };
}
