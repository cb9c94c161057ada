/**
 * The stream behind each subscription field: the subscriber's own user topic, narrowed to one
 * kind of message, with consent decided AGAIN for every message at the moment of delivery — by
 * the same `decide` the @requiresScopes guard uses. A revoked or expired consent, or an unlinked
 * bank, therefore stops delivery with the very next event.
 *
 * The stream yields deliveries, `{ payload, context }`: each message comes with a context of its
 * own (`contextForEvent`: fresh consent view, access recorder and links), so the guarded payload
 * types are checked against the decision just made, and the subscription server executes the
 * event with that context and writes its access log before sending it (src/server/ws/event-stream.ts).
 * The subscription's own context is never changed.
 */
import { ConsentStatus, type Consent } from "../../domain/consent.js";
import type { BankEvent, BankEventKind } from "../../domain/bank-event.js";
import { decide, type ScopeRequirement } from "../../consent/consent-view.js";
import type { LinkRef } from "../../loaders/link-loaders.js";
import { userTopic, type RealtimeMessage } from "../../realtime/realtime-message.js";
import { contextForEvent } from "../../request/build-context.js";
import type { GatewayContext } from "../../request/gateway-context.js";

/** One event for one subscriber: its GraphQL payload and the context it executes with (its own). */
export interface Delivery<P> {
  readonly payload: P;
  readonly context: GatewayContext;
}

/** The consent scope each kind of bank event needs (see design.md's scope table). */
export const REQUIRED_SCOPES: Record<BankEventKind, ScopeRequirement> = {
  BALANCE_CHANGED: [["balances:read"]],
  TRANSACTION_PENDING: [["transactions:read"]],
  TRANSACTION_POSTED: [["transactions:read"]],
  RECEIPT_UPDATED: [["receipts:read"]],
  FRAUD_ALERT: [["alerts:read"]],
};

type EventOf<K extends BankEventKind> = Extract<BankEvent, { kind: K }>;

/**
 * Bank events of one kind for the subscriber's links, each mapped to its GraphQL payload, only
 * while the subscriber's client holds a consent granting the kind's scope on that link.
 */
export function bankEventDeliveries<K extends BankEventKind, P>(
  context: GatewayContext,
  kind: K,
  toPayload: (link: LinkRef, event: EventOf<K>) => P,
): Promise<AsyncIterableIterator<Delivery<P>>> {
  const { services, identity } = context;
  return deliveries(context, async (message) => {
    if (message.type !== "BANK_EVENT" || message.event.kind !== kind || message.userId !== identity.userId) return undefined;
    const effective = await services.consents.effectiveConsents(identity.userId, identity.clientId, [message.linkId]);
    if (!decide(effective.get(message.linkId), REQUIRED_SCOPES[kind]).granted) return undefined;
    const payload = toPayload({ id: message.linkId, institutionId: message.institutionId }, message.event as EventOf<K>);
    return { payload, context: contextForEvent(context, effective) };
  });
}

/** Consents of the subscriber's own client about to expire, while they are still AUTHORIZED. */
export function consentExpiringDeliveries<P>(context: GatewayContext, toPayload: (consent: Consent) => P): Promise<AsyncIterableIterator<Delivery<P>>> {
  const { services, identity } = context;
  return deliveries(context, async (message) => {
    if (message.type !== "CONSENT_EXPIRING" || message.userId !== identity.userId || message.consent.clientId !== identity.clientId) return undefined;
    const current = await services.consents.getForUser(message.consent.id, identity.userId);
    return current.status === ConsentStatus.AUTHORIZED ? { payload: toPayload(current), context: contextForEvent(context) } : undefined;
  });
}

/** Subscribes to the user's topic; `accept` decides and maps each message (undefined = not for this subscriber). */
async function deliveries<P>(
  context: GatewayContext,
  accept: (message: RealtimeMessage) => Promise<Delivery<P> | undefined>,
): Promise<AsyncIterableIterator<Delivery<P>>> {
  const { services, identity } = context;
  const source = await services.realtime.pubsub.subscribe(userTopic(identity.userId));
  const iterator: AsyncIterableIterator<Delivery<P>> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done) return { done: true, value: undefined };
        let payload: Delivery<P> | undefined;
        try {
          payload = await accept(result.value);
        } catch {
          // Consent could not be decided (say, the store is down): fail closed, this event is not delivered.
          payload = undefined;
        }
        if (payload !== undefined) return { done: false, value: payload };
      }
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}
