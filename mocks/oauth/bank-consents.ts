/**
 * The bank's own record of what a person allowed a client: the granted items (scopes, clusters or
 * permissions), the resources they open, the accounts chosen on the selection page, the end date
 * and status. One record per authorization; the data routes' guard reads it on every call (so a
 * bank-side revocation takes effect at once). UK-style consents exist before the person sees them
 * (AwaitingAuthorisation); the others are created when the person allows.
 */
import { randomUUID } from "node:crypto";
import type { AdapterPayload } from "oidc-provider";
import type { GrantedResource } from "./bank-authorization.js";
import type { OAuthState } from "./oauth-state.js";

export type BankConsentStatus = "AwaitingAuthorisation" | "Authorised" | "Rejected" | "Revoked";

export interface BankConsent {
  id: string;
  clientId: string;
  status: BankConsentStatus;
  /** Scope, cluster or permission names as the client asked for them. */
  items: string[];
  opens: GrantedResource[];
  /** ISO time; tokens never outlive it. */
  expiresAt: string;
  /** ISO time of the oldest transaction the client may read, when the request limited it. */
  historyFrom?: string;
  createdAt: string;
  /** ISO time of the last status change. */
  updatedAt?: string;
  customerId?: string;
  accountIds?: string[];
  /** The oidc-provider grant the person's authorization created. */
  grantId?: string;
}

const MODEL = "BankConsent";

export class BankConsents {
  constructor(private readonly state: OAuthState) {}

  create(fields: Omit<BankConsent, "id" | "createdAt">): BankConsent {
    const consent: BankConsent = { id: randomUUID(), createdAt: new Date().toISOString(), ...fields };
    this.save(consent);
    return consent;
  }

  get(id: string): BankConsent | undefined {
    return this.state.get(MODEL, id) as BankConsent | undefined;
  }

  byGrant(grantId: string): BankConsent | undefined {
    return this.all().find((c) => c.grantId === grantId);
  }

  ofCustomer(customerId: string): BankConsent[] {
    return this.all().filter((c) => c.customerId === customerId);
  }

  update(id: string, patch: Partial<BankConsent>): BankConsent | undefined {
    const consent = this.get(id);
    if (!consent) return undefined;
    const updated = { ...consent, ...patch, ...(patch.status && patch.status !== consent.status ? { updatedAt: new Date().toISOString() } : {}) };
    this.save(updated);
    return updated;
  }

  /** Whether the consent is authorised and not past its end date. */
  static isLive(consent: BankConsent | undefined, now = Date.now()): consent is BankConsent & { customerId: string; accountIds: string[] } {
    return consent?.status === "Authorised" && Date.parse(consent.expiresAt) > now && !!consent.customerId && !!consent.accountIds;
  }

  /** Seconds left until the consent ends (at least 1, so a token can still be issued and then refused). */
  static secondsLeft(consent: BankConsent, now = Date.now()): number {
    return Math.max(1, Math.floor((Date.parse(consent.expiresAt) - now) / 1000));
  }

  private all(): BankConsent[] {
    return this.state.all(MODEL) as unknown as BankConsent[];
  }

  private save(consent: BankConsent): void {
    this.state.set(MODEL, consent.id, consent as unknown as AdapterPayload);
  }
}
