/**
 * Consent use cases over the store. Every lifecycle change and its consent_event are written in
 * one transaction. A user only ever sees and changes their own consents: a consent id of another
 * user answers NOT_FOUND exactly like one that does not exist.
 *
 * Superseding: a client may request a new consent for a (client, link) pair that already has an
 * AUTHORIZED one (e.g. to add a scope). The old one keeps working until the user authorizes the
 * new one; in that same transaction the old one is REVOKED with detail `{ supersededBy }`. So a
 * pair has at most one AUTHORIZED consent (a partial unique index backs this up).
 */
import { randomUUID } from "node:crypto";
import { DAY_MS, systemClock, type Clock } from "../clock.js";
import { ErrorCode, GatewayError, notFound } from "../errors.js";
import type { Database, Queryable } from "../store/database.js";
import { ClientRepository } from "../store/client-repository.js";
import { ConsentEventRepository, type ConsentEvent } from "../store/consent-event-repository.js";
import { ConsentRepository } from "../store/consent-repository.js";
import { LinkStatus, type Link } from "../domain/link.js";
import { LinkConsentRepository, type LinksWithConsents } from "../store/link-consent-repository.js";
import { PaymentLimitsRepository } from "../store/payment-limits-repository.js";
import { describeLimits } from "../domain/payment.js";
import { limitsForScopes, payableAccounts, type PaymentLimitsInput } from "./payment-limits.js";
import { LinkRepository } from "../store/link-repository.js";
import type { Page, PageArgs } from "../store/pagination.js";
import { ConsentActor, ConsentEventType, ConsentStatus, PAYMENTS_WRITE, type Consent, type ConsentChange, type Scope } from "../domain/consent.js";
import { assertScopesFitPurpose } from "./purposes.js";
import {
  AUTHORIZATION_WINDOW_DAYS,
  effectiveStatus,
  newConsent,
  transition,
  validateConsentRequest,
  type ConsentAction,
  type ConsentRequestInput,
  type ValidConsentRequest,
} from "./lifecycle.js";

/** What {@link ConsentService.effectiveConsents} says about one link. */
export interface EffectiveConsent {
  /** The deciding consent, its `status` already the effective one. */
  consent: Consent;
  /** Effective status at the time of the call. */
  status: ConsentStatus;
  /** Scopes granted right now: the consent's scopes when AUTHORIZED, otherwise empty. */
  scopes: ReadonlySet<Scope>;
}

/**
 * Why every consent of a link was closed (the `reason` on their REVOKED events): the person unlinked
 * the bank at Bankgraph, or the bank ended the grant (the person removed access there, or the bank
 * refused the grant without notice).
 */
export type LinkClosedReason = "LINK_REVOKED" | "REVOKED_AT_BANK";

/** Who revokes: the user themself, or a client acting for that user. */
export type RevokeBy = { userId: string; clientId?: undefined } | { clientId: string; userId: string };

/** Narrows {@link ConsentService.listForUser}. Every field optional; `status` matches the effective status. */
export interface ConsentFilter {
  clientId?: string;
  linkId?: string;
  status?: readonly ConsentStatus[];
}

/** Options for {@link ConsentService}. */
export interface ConsentServiceOptions {
  db: Database;
  /** Default: the system clock. */
  clock?: Clock;
  /** Told after a revocation has been committed (the upstream cache forgets the link's data). */
  onRevoked?: (consent: Consent) => void;
  /**
   * Told of each revocation INSIDE its transaction (the user's or app's revoke, or unlinking), with
   * the recorded change (its actor and detail, e.g. `{ reason: "LINK_REVOKED" }`), so what must
   * follow — the app's CONSENT_REVOKED event, its webhook, telling the bank — is written
   * atomically with it (src/server/revocation-effects.ts).
   */
  onRevokedInTransaction?: (tx: Queryable, consent: Consent, change: ConsentChange) => Promise<void>;
  /**
   * Told of EVERY lifecycle change (requested, authorized, revoked, expired, …) inside its
   * transaction, after its consent_event row: what must exist exactly when the change does (a
   * signed receipt) hangs here, so no path that changes a consent can skip it.
   */
  onChangeInTransaction?: (tx: Queryable, consent: Consent, change: ConsentChange) => Promise<void>;
  /**
   * Told of each renewal INSIDE its transaction, so the app's CONSENT_RENEWED event is logged
   * atomically with the new end date (as {@link onRevokedInTransaction} does for revocations).
   */
  onRenewedInTransaction?: (tx: Queryable, consent: Consent) => Promise<void>;
  /** Told after a renewal has been committed (wake the person's subscribers). */
  onRenewed?: (consent: Consent) => void;
  /**
   * Told once per batch {@link ConsentService.expireDue} committed, with the consents it recorded
   * EXPIRED (send what their ends owe now: one wake-up serves the whole batch).
   */
  onExpired?: (consents: readonly Consent[]) => void;
  /**
   * Where a request's links and consents come from (see {@link ConsentService.linksAndEffectiveConsents}).
   * Default: the store, every time. The gateway passes its GrantsCache (./grants-cache.ts).
   */
  readLinksWithConsents?: (userId: string, clientId: string) => Promise<LinksWithConsents>;
}

/** Options for {@link ConsentService.renew}. */
export interface RenewOptions {
  /** Merged into the RENEWED event's detail (say, which page the person renewed on). */
  detail?: Record<string, unknown>;
}

const NO_SCOPES: ReadonlySet<Scope> = new Set();

/** Consent lifecycle and lookups, enforced the same way on every backend. */
export class ConsentService {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly onRevoked: ((consent: Consent) => void) | undefined;
  private readonly onRevokedInTransaction: ConsentServiceOptions["onRevokedInTransaction"];
  private readonly onChangeInTransaction: ConsentServiceOptions["onChangeInTransaction"];
  private readonly onRenewedInTransaction: ConsentServiceOptions["onRenewedInTransaction"];
  private readonly onRenewed: ConsentServiceOptions["onRenewed"];
  private readonly onExpired: ConsentServiceOptions["onExpired"];
  private readonly readLinksWithConsents: (userId: string, clientId: string) => Promise<LinksWithConsents>;

  constructor({
    db,
    clock = systemClock,
    onRevoked,
    onRevokedInTransaction,
    onChangeInTransaction,
    onRenewedInTransaction,
    onRenewed,
    onExpired,
    readLinksWithConsents,
  }: ConsentServiceOptions) {
    this.db = db;
    this.clock = clock;
    this.onRevoked = onRevoked;
    this.onRevokedInTransaction = onRevokedInTransaction;
    this.onChangeInTransaction = onChangeInTransaction;
    this.onRenewedInTransaction = onRenewedInTransaction;
    this.onRenewed = onRenewed;
    this.onExpired = onExpired;
    this.readLinksWithConsents = readLinksWithConsents ?? ((userId, clientId) => new LinkConsentRepository(this.db).listForUser(userId, clientId));
  }

  /**
   * A client asks the user for access to one link. Throws BAD_USER_INPUT / PURPOSE_FORBIDDEN for
   * a bad request, NOT_FOUND when the link is not the user's (or was removed), LOGIN_REQUIRED when
   * the link needs a fresh bank login, FORBIDDEN when the client is not registered or not allowed
   * the purpose. Records REQUESTED (actor CLIENT).
   */
  async requestConsent(input: ConsentRequestInput): Promise<Consent> {
    const request = validateConsentRequest(input);
    return this.db.transaction((tx) => this.openRequest(tx, request, {}, input.paymentLimits));
  }

  /**
   * A request and the person's authorization at once, in one transaction: what a connect session
   * does once the person came back from their bank (REQUESTED actor CLIENT, then AUTHORIZED actor
   * USER; `detail` — the session and the disclosure's hash — goes on both events). Refuses like
   * {@link requestConsent}; nothing is stored on a refusal. Pass the caller's transaction as `tx`
   * so the consent and the caller's own change happen together or not at all.
   */
  async requestAndAuthorize(input: ConsentRequestInput, detail: Record<string, unknown>, options: { tx?: Queryable } = {}): Promise<Consent> {
    const request = validateConsentRequest(input);
    const work = async (tx: Queryable) => {
      const requested = await this.openRequest(tx, request, detail, input.paymentLimits);
      return this.authorizeIn(tx, requested.id, requested.userId, detail);
    };
    return options.tx ? work(options.tx) : this.db.transaction(work);
  }

  private async openRequest(
    tx: Queryable,
    request: ValidConsentRequest,
    detail: Record<string, unknown> = {},
    paymentLimits?: PaymentLimitsInput | null,
  ): Promise<Consent> {
    // Sending money is only ever asked for under the purpose that may carry it, with limits.
    if (request.scopes.includes(PAYMENTS_WRITE)) assertScopesFitPurpose(request.purpose, request.scopes);
    const limits = limitsForScopes(request.scopes, paymentLimits, this.clock.now());
    const client = await new ClientRepository(tx, this.clock).findActive(request.clientId);
    if (!client) throw new GatewayError(ErrorCode.FORBIDDEN, `Client ${request.clientId} is not registered`);
    if (!client.allowedPurposes.includes(request.purpose)) {
      throw new GatewayError(ErrorCode.FORBIDDEN, `Client ${client.id} is not registered for purpose ${request.purpose}`, {
        reason: "PURPOSE_NOT_ALLOWED_FOR_CLIENT",
        purpose: request.purpose,
      });
    }
    const link = await new LinkRepository(tx, this.clock).forUser(request.linkId, request.userId);
    if (!link || link.status === LinkStatus.REVOKED) throw notFound("Link");
    if (link.status === LinkStatus.LOGIN_REQUIRED) {
      throw new GatewayError(ErrorCode.LOGIN_REQUIRED, "The user must log in to this institution again", {
        institutionId: link.institutionId,
      });
    }
    const now = this.clock.now();
    const consent = newConsent(request, randomUUID(), now);
    await new ConsentRepository(tx).insert(consent);
    if (limits) await new PaymentLimitsRepository(tx).insert(consent.id, { ...limits, accountIds: await payableAccounts(tx, consent.linkId) });
    await this.record(tx, consent, {
      type: ConsentEventType.REQUESTED,
      actor: ConsentActor.CLIENT,
      at: now,
      detail: {
        scopes: consent.scopes,
        purpose: consent.purpose,
        durationDays: consent.durationDays,
        historyDays: consent.historyDays,
        ...(limits && { paymentLimits: describeLimits(limits) }),
        ...detail,
      },
    });
    return consent;
  }

  /** The user authorizes a request (actor USER); supersedes the pair's previous AUTHORIZED consent. */
  async authorize(consentId: string, userId: string): Promise<Consent> {
    return this.db.transaction((tx) => this.authorizeIn(tx, consentId, userId));
  }

  private async authorizeIn(tx: Queryable, consentId: string, userId: string, detail?: Record<string, unknown>): Promise<Consent> {
    const consents = new ConsentRepository(tx);
    const target = await consents.findForUser(consentId, userId);
    if (!target) throw notFound("Consent");
    // Lock the whole pair, so two authorizations in one pair serialize instead of both winning.
    const pair = await consents.lockPair(target.clientId, target.linkId);
    const now = this.clock.now();
    const locked = pair.find((c) => c.id === target.id) ?? target;
    const { consent, change } = transition(locked, "AUTHORIZE", ConsentActor.USER, now, detail);
    for (const other of pair) {
      if (other.id === consent.id || other.status !== ConsentStatus.AUTHORIZED) continue;
      const lapsed = effectiveStatus(other, now) === ConsentStatus.EXPIRED;
      const next = lapsed
        ? transition(other, "EXPIRE", ConsentActor.SYSTEM, now)
        : transition(other, "REVOKE", ConsentActor.USER, now, { supersededBy: consent.id });
      await consents.update(next.consent);
      await this.record(tx, next.consent, next.change);
    }
    await consents.update(consent);
    await this.record(tx, consent, change);
    return consent;
  }

  /** The user rejects a request (actor USER). */
  reject(consentId: string, userId: string): Promise<Consent> {
    return this.change(consentId, { userId }, "REJECT", ConsentActor.USER);
  }

  /**
   * Revokes an AUTHORIZED consent or withdraws an AWAITING request: by the user (`{ userId }`,
   * actor USER) or by a client for that user (`{ clientId, userId }`, actor CLIENT; the consent
   * must be that client's, else NOT_FOUND).
   */
  async revoke(consentId: string, by: RevokeBy): Promise<Consent> {
    const consent = await this.change(consentId, by, "REVOKE", by.clientId === undefined ? ConsentActor.USER : ConsentActor.CLIENT);
    this.onRevoked?.(consent);
    return consent;
  }

  /**
   * The person extends one of their AUTHORIZED consents: same id, link, scopes, purpose, accounts
   * and history window; expiresAt becomes now + the consent's own durationDays; RENEWED (actor
   * USER) is recorded. Nothing wider can be had this way — more scopes, another purpose or more
   * accounts is a new request and a new consent (superseding, above).
   *
   * The bank's grant must still hold, since renewing is done without a trip to the bank: a link that
   * needs a fresh bank login (or is gone) is refused with LOGIN_REQUIRED, reason RECONNECT_AT_BANK,
   * and nothing changes. NOT_FOUND for another person's consent; CONSENT_INVALID for one that is
   * not AUTHORIZED now (an EXPIRED one needs a new disclosure, i.e. a new consent).
   */
  async renew(consentId: string, userId: string, options: RenewOptions = {}): Promise<Consent> {
    const renewed = await this.db.transaction(async (tx) => {
      const consents = new ConsentRepository(tx);
      const target = await consents.findForUser(consentId, userId, { lock: true });
      if (!target) throw notFound("Consent");
      const now = this.clock.now();
      // The state machine speaks first: a revoked or expired consent says so, whatever its link.
      const { consent, change } = transition(target, "RENEW", ConsentActor.USER, now, options.detail);
      const link = await new LinkRepository(tx, this.clock).forUser(target.linkId, userId);
      if (link?.status !== LinkStatus.ACTIVE) {
        throw new GatewayError(
          ErrorCode.LOGIN_REQUIRED,
          "The bank no longer lets this connection read your data: reconnect at the bank first, then share again",
          {
            reason: "RECONNECT_AT_BANK",
            consentId: target.id,
            ...(link && { institutionId: link.institutionId }),
          },
        );
      }
      await consents.update(consent);
      await this.record(tx, consent, change);
      await this.onRenewedInTransaction?.(tx, consent);
      return consent;
    });
    this.onRenewed?.(renewed);
    return renewed;
  }

  /**
   * Closes every open consent of a link: revokes the live ones with detail `{ reason }`, marks
   * lapsed ones EXPIRED. By default the user unlinked it (actor USER, reason LINK_REVOKED); the
   * bank ending the grant is actor SYSTEM, reason REVOKED_AT_BANK. Pass the transaction that
   * changes the link as `tx`, so both happen or neither. Returns the revoked ones.
   */
  async revokeAllForLink(
    linkId: string,
    userId: string,
    options: { tx?: Queryable; actor?: ConsentActor.USER | ConsentActor.SYSTEM; reason?: LinkClosedReason } = {},
  ): Promise<Consent[]> {
    const { tx, actor = ConsentActor.USER, reason = "LINK_REVOKED" } = options;
    const work = async (q: Queryable) => {
      const consents = new ConsentRepository(q);
      const now = this.clock.now();
      const revoked: Consent[] = [];
      for (const open of await consents.lockOpenForLink(linkId, userId)) {
        const lapsed = effectiveStatus(open, now) === ConsentStatus.EXPIRED;
        const next = lapsed ? transition(open, "EXPIRE", ConsentActor.SYSTEM, now) : transition(open, "REVOKE", actor, now, { reason });
        await consents.update(next.consent);
        await this.record(q, next.consent, next.change);
        if (lapsed) continue;
        revoked.push(next.consent);
        await this.onRevokedInTransaction?.(q, next.consent, next.change);
      }
      return revoked;
    };
    return tx ? work(tx) : this.db.transaction(work);
  }

  /** One of the user's consents (status effective now); NOT_FOUND if missing or another user's. */
  async getForUser(consentId: string, userId: string): Promise<Consent> {
    const consent = await new ConsentRepository(this.db).findForUser(consentId, userId);
    if (!consent) throw notFound("Consent");
    return this.project(consent, this.clock.now());
  }

  /** The user's consents, newest first, each with its status effective now. */
  async listForUser(userId: string, filter: ConsentFilter = {}): Promise<Consent[]> {
    const { status, ...where } = filter;
    const now = this.clock.now();
    const all = (await new ConsentRepository(this.db).listForUser(userId, where)).map((c) => this.project(c, now));
    return status ? all.filter((c) => status.includes(c.status)) : all;
  }

  /**
   * The user's consent events in the order they happened, keyset-paginated; for one consent when
   * `consentId` is given (NOT_FOUND if it is not the user's).
   */
  async listEvents(userId: string, args: PageArgs & { consentId?: string }): Promise<Page<ConsentEvent>> {
    if (args.consentId !== undefined) await this.getForUser(args.consentId, userId);
    return new ConsentEventRepository(this.db).listForUser(userId, args);
  }

  /**
   * For each link that has any consent for this client: the one that decides access now — the
   * AUTHORIZED unexpired one if there is one, else the newest. Links without a consent are absent.
   * `linkIds` may still be on its way: the consents are read meanwhile, not after.
   */
  async effectiveConsents(userId: string, clientId: string, linkIds: readonly string[] | Promise<readonly string[]>): Promise<Map<string, EffectiveConsent>> {
    const now = this.clock.now();
    const [stored, ids] = await Promise.all([new ConsentRepository(this.db).listForUser(userId, { clientId }), linkIds]);
    return this.effectiveAmong(stored, new Set(ids), now);
  }

  /**
   * {@link effectiveConsents} of many (user, client) pairs in ONE store statement, over every link
   * each pair has a consent for: per pair (keyed `userId + "\u0000" + clientId`), the deciding
   * consent of each link. Read afresh on every call.
   */
  async effectiveConsentsOfPairs(pairs: ReadonlyArray<{ userId: string; clientId: string }>): Promise<Map<string, Map<string, EffectiveConsent>>> {
    const now = this.clock.now();
    const stored = await new ConsentRepository(this.db).listForUserClients(pairs);
    const byPair = new Map<string, Consent[]>(pairs.map((p) => [pairKey(p.userId, p.clientId), []]));
    for (const consent of stored) byPair.get(pairKey(consent.userId, consent.clientId))?.push(consent);
    return new Map([...byPair].map(([key, consents]) => [key, this.effectiveAmong(consents, new Set(consents.map((c) => c.linkId)), now)]));
  }

  /**
   * A request's starting point: the user's live links and, for each, the consent deciding for
   * `clientId` (as {@link effectiveConsents} gives them) — one store statement, or none when the
   * gateway kept them and no write to them committed since on any instance (GrantsCache). Statuses
   * are judged against the clock on every call, so an expiry applies on time: a revocation is seen
   * by the next request on every instance.
   */
  async linksAndEffectiveConsents(userId: string, clientId: string): Promise<{ links: Link[]; consents: Map<string, EffectiveConsent> }> {
    const { links, consents } = await this.readLinksWithConsents(userId, clientId);
    const now = this.clock.now();
    return { links, consents: this.effectiveAmong(consents, new Set(links.map((l) => l.id)), now) };
  }

  /** Per wanted link, the deciding consent among `stored` (newest first per link), status effective at `now`. */
  private effectiveAmong(stored: readonly Consent[], wanted: ReadonlySet<string>, now: Date): Map<string, EffectiveConsent> {
    const result = new Map<string, EffectiveConsent>();
    for (const one of stored) {
      if (!wanted.has(one.linkId)) continue;
      const consent = this.project(one, now);
      const current = result.get(consent.linkId);
      // Rows come newest first, so the first seen wins unless a later one is the live grant.
      if (current && (current.status === ConsentStatus.AUTHORIZED || consent.status !== ConsentStatus.AUTHORIZED)) continue;
      const scopes = consent.status === ConsentStatus.AUTHORIZED ? new Set(consent.scopes) : NO_SCOPES;
      result.set(consent.linkId, { consent, status: consent.status, scopes });
    }
    return result;
  }

  /**
   * Persists EXPIRED (event actor SYSTEM) for consents the clock has expired, in batches, skipping
   * rows another instance is already sweeping. Only catches the store up: reads never rely on it.
   */
  async expireDue(options: { batchSize?: number } = {}): Promise<Consent[]> {
    const { batchSize = 500 } = options;
    const expired: Consent[] = [];
    for (;;) {
      const batch = await this.db.transaction(async (tx) => {
        const consents = new ConsentRepository(tx);
        const now = this.clock.now();
        const due = await consents.lockDue(now, new Date(now.getTime() - AUTHORIZATION_WINDOW_DAYS * DAY_MS), batchSize);
        const done: Consent[] = [];
        for (const consent of due) {
          const next = transition(consent, "EXPIRE", ConsentActor.SYSTEM, now);
          await consents.update(next.consent);
          await this.record(tx, next.consent, next.change);
          done.push(next.consent);
        }
        return done;
      });
      expired.push(...batch);
      if (batch.length > 0) this.onExpired?.(batch);
      if (batch.length < batchSize) return expired;
    }
  }

  private async change(consentId: string, by: RevokeBy, action: ConsentAction, actor: ConsentActor): Promise<Consent> {
    return this.db.transaction(async (tx) => {
      const consents = new ConsentRepository(tx);
      const target = await consents.findForUser(consentId, by.userId, { lock: true });
      if (!target || (by.clientId !== undefined && target.clientId !== by.clientId)) throw notFound("Consent");
      const { consent, change } = transition(target, action, actor, this.clock.now());
      await consents.update(consent);
      await this.record(tx, consent, change);
      if (action === "REVOKE" && consent.status === ConsentStatus.REVOKED) await this.onRevokedInTransaction?.(tx, consent, change);
      return consent;
    });
  }

  /** Every lifecycle change goes through here: its consent_event, then the in-transaction listener. */
  private async record(tx: Queryable, consent: Consent, change: ConsentChange): Promise<void> {
    await new ConsentEventRepository(tx).append(consent, change);
    await this.onChangeInTransaction?.(tx, consent, change);
  }

  private project(consent: Consent, now: Date): Consent {
    return { ...consent, status: effectiveStatus(consent, now) };
  }
}

/** The key of a (user, client) pair in {@link ConsentService.effectiveConsentsOfPairs}'s answer. */
export function pairKey(userId: string, clientId: string): string {
  return `${userId}\u0000${clientId}`;
}
