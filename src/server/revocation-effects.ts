/**
 * Everything that follows a consent's revocation, in one place (issue 13: "stopping is complete,
 * in one step"). Inside the revoking transaction, so it commits with the revocation or not at all:
 * - the consent's payment intents still awaiting the person are cancelled (also when it expires);
 * - the app's CONSENT_REVOKED event in the person's log (subscriptions, `events(after:)`);
 * - a signed `consent.revoked` webhook owed to the app, if it registered a webhook URL;
 * - when no live consent of any app is left on the link (or the link is being removed), the
 *   bank is owed a revocation of Bankgraph's grant — unless the bank ended it itself (actor SYSTEM);
 *   the same when the last live consent lapses (persisted by the expiry sweep).
 * After commit: the link's cached bank data is forgotten on every instance (its version in Redis
 * is bumped), subscribers are woken, and this instance sends what is owed at once (every instance
 * also polls, so nothing depends on this one staying up).
 * The next request of the app is refused on every instance without any message to lose: the
 * revoking write moved the person's grant version (src/store/grant-writes.ts; in Redis when scaled
 * out) before the revocation answered, so every instance reads the consents from the store again.
 */
import type { Clock } from "../clock.js";
import type { AppWebhooks } from "../apps/app-webhooks.js";
import { ConsentActor, ConsentEventType, type Consent, type ConsentChange } from "../domain/consent.js";
import type { BankGrantRevocations, GrantEndReason } from "../links/bank-oauth/bank-grant-revocations.js";
import type { PaymentService } from "../payments/payment-service.js";
import { consentEventEntry } from "../realtime/app-event.js";
import type { EventOutbox } from "../realtime/event-outbox.js";
import { encodeGlobalId } from "../schema/global-id.js";
import { ConsentRepository } from "../store/consent-repository.js";
import type { Queryable } from "../store/database.js";
import { LinkRepository } from "../store/link-repository.js";

/** The `type` of the webhook an app gets when one of its consents is revoked. */
export const CONSENT_REVOKED_WEBHOOK = "consent.revoked";

export interface RevocationEffectsDeps {
  clock: Clock;
  /** Payment intents: those still awaiting the person are cancelled with the consent (issue 16). */
  payments: () => PaymentService;
  /** Reached lazily: the services are built after the consent service that calls these hooks. */
  outbox: () => EventOutbox;
  appWebhooks: () => AppWebhooks;
  bankRevocations: () => BankGrantRevocations;
  /** Forgets the link's cached bank data on every instance (never throws). */
  invalidateLink: (linkId: string) => void;
}

/** Why, in the webhook's words: the recorded reason when there is one, else who did it. */
export function revocationReason(change: Pick<ConsentChange, "actor" | "detail">): string {
  const recorded = change.detail["reason"];
  if (typeof recorded === "string") return recorded;
  switch (change.actor) {
    case ConsentActor.USER:
      return "REVOKED_BY_USER";
    case ConsentActor.CLIENT:
      return "REVOKED_BY_APP";
    case ConsentActor.SYSTEM:
      return "REVOKED_BY_SYSTEM";
  }
}

export function revocationEffects(deps: RevocationEffectsDeps) {
  /** The grant at the bank is the link's, shared by every app: it ends with the last live consent. */
  async function endGrantIfLastIn(tx: Queryable, consent: Consent, reason: GrantEndReason, now: Date): Promise<void> {
    if ((await new ConsentRepository(tx).countLiveForLink(consent.linkId, now)) > 0) return;
    await deps.bankRevocations().enqueueIn(tx, consent.linkId, reason);
  }

  return {
    /** The ConsentService's `onRevokedInTransaction`. */
    async inTransaction(tx: Queryable, consent: Consent, change: ConsentChange): Promise<void> {
      const now = deps.clock.now();
      await deps.outbox().appendIn(tx, consentEventEntry("CONSENT_REVOKED", consent, now));
      const link = await new LinkRepository(tx, deps.clock).findById(consent.linkId);
      await deps.appWebhooks().enqueueIn(tx, {
        clientId: consent.clientId,
        type: CONSENT_REVOKED_WEBHOOK,
        fields: {
          consentId: encodeGlobalId("Consent", consent.linkId, consent.id),
          linkId: encodeGlobalId("Link", consent.linkId),
          institutionId: link?.institutionId ?? null,
          revokedAt: (consent.revokedAt ?? now).toISOString(),
          actor: change.actor,
          reason: revocationReason(change),
        },
      });
      // The bank ended the grant itself (actor SYSTEM): it is owed nothing.
      if (change.actor === ConsentActor.SYSTEM) return;
      await endGrantIfLastIn(tx, consent, change.detail["reason"] === "LINK_REVOKED" ? "LINK_REMOVED" : "LAST_CONSENT_ENDED", now);
    },

    /**
     * Part of the ConsentService's `onChangeInTransaction`: when a consent ends by any path —
     * revoked by the person or the app, superseded, its link removed, ended at the bank, or expired
     * — every payment of it still awaiting the person is CANCELLED in that same transaction
     * (nothing of it has reached the bank). Payments already confirmed are the bank's to finish.
     * A consent that lapsed ends the bank grant too when it was the link's last live one, as a
     * revocation does (revocations do it in {@link inTransaction}).
     */
    async consentEndedInTransaction(tx: Queryable, consent: Consent, change: ConsentChange): Promise<void> {
      if (change.type !== ConsentEventType.REVOKED && change.type !== ConsentEventType.EXPIRED) return;
      const expired = change.type === ConsentEventType.EXPIRED;
      await deps.payments().cancelAwaitingIn(tx, consent, expired ? "CONSENT_EXPIRED" : "CONSENT_REVOKED");
      if (expired) await endGrantIfLastIn(tx, consent, "LAST_CONSENT_ENDED", change.at);
    },

    /**
     * After the commit that ended `consents` (one revocation, a link's consents revoked at the bank,
     * a batch of expiries): each link's cached data is forgotten and each person's followers are
     * woken once — a hint makes them read every event after their cursor, however many were
     * appended — and each outbox is woken once for all the rows the commit wrote.
     */
    afterCommit(consents: readonly Consent[]): void {
      for (const linkId of new Set(consents.map((c) => c.linkId))) deps.invalidateLink(linkId);
      for (const userId of new Set(consents.map((c) => c.userId))) void deps.outbox().hintPerson(userId);
      deps.appWebhooks().wake();
      deps.bankRevocations().wake();
    },

    /** In the unlinking transaction, after its consents were revoked: the grant goes too (no-op when already moved). */
    async linkRemovedInTransaction(tx: Queryable, linkId: string): Promise<void> {
      await deps.bankRevocations().enqueueIn(tx, linkId, "LINK_REMOVED");
    },

    /** After an unlink committed. */
    afterUnlink(linkId: string, userId: string): void {
      deps.invalidateLink(linkId);
      void deps.outbox().hintPerson(userId);
      deps.appWebhooks().wake();
      deps.bankRevocations().wake();
    },
  };
}
