/**
 * The stream behind each subscription field: the subscriber's own user topic, narrowed to one
 * kind of message, with consent decided AGAIN for every message at the moment of delivery — by
 * the same `decide` the @requiresScopes guard and the bank gate use, against the requirements on
 * the payload type in the schema (`src/consent/delivery-decision.ts`). A revoked or expired consent,
 * or an unlinked bank, therefore stops delivery with the very next event; a row older than the
 * consent's history window is never delivered.
 *
 * The stream yields deliveries, `{ payload, context }`: each message comes with a context of its
 * own (`contextForEvent`: fresh consent view, access recorder and links), so the guarded payload
 * types are checked against the decision just made; the delivery records (link, scope) on that
 * context, and the subscription server executes the event with it and writes its access log
 * before sending it (src/server/ws/event-stream.ts). The subscription's own context is never changed.
 */
import type { GraphQLResolveInfo } from "graphql";
import { ConsentStatus, type Consent } from "../../domain/consent.js";
import type { ConnectSession } from "../../domain/connect-session.js";
import type { BankEvent, BankEventKind } from "../../domain/bank-event.js";
import { decideDelivery, payloadRequirements } from "../../consent/delivery-decision.js";
import type { LinkRef } from "../../loaders/link-loaders.js";
import { mapEvents } from "../../realtime/map-events.js";
import { userTopic, type RealtimeMessage } from "../../realtime/realtime-message.js";
import { contextForEvent } from "../../request/build-context.js";
import type { GatewayContext } from "../../request/gateway-context.js";

/** One event for one subscriber: its GraphQL payload and the context it executes with (its own). */
export interface Delivery<P> {
  readonly payload: P;
  readonly context: GatewayContext;
}

type EventOf<K extends BankEventKind> = Extract<BankEvent, { kind: K }>;

/**
 * Bank events of one kind for the subscriber's links, each mapped to its GraphQL payload, only
 * while the subscriber's client holds a consent granting what the payload type requires (read
 * from the schema through `info`) on that link, and only for rows inside its history window.
 */
export function bankEventDeliveries<K extends BankEventKind, P>(
  context: GatewayContext,
  info: GraphQLResolveInfo,
  kind: K,
  toPayload: (link: LinkRef, event: EventOf<K>) => P,
): Promise<AsyncIterableIterator<Delivery<P>>> {
  const { services, identity } = context;
  const requirements = payloadRequirements(info);
  return deliveries(context, async (message) => {
    if (message.type !== "BANK_EVENT" || message.event.kind !== kind || message.userId !== identity.userId) return undefined;
    const effective = await services.consents.effectiveConsents(identity.userId, identity.clientId, [message.linkId]);
    const grants = decideDelivery(effective.get(message.linkId), requirements, message.event, services.clock.now());
    if (!grants) return undefined;
    const eventContext = contextForEvent(context, effective);
    const source = { linkId: message.linkId, institutionId: message.institutionId };
    for (const grant of grants) eventContext.access.recordDecision(source, grant);
    const payload = toPayload({ id: message.linkId, institutionId: message.institutionId }, message.event as EventOf<K>);
    return { payload, context: eventContext };
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

/** This app's connect sessions for the subscriber as they end, read afresh from the store (the message carries only ids). */
export function connectSessionDeliveries<P>(context: GatewayContext, toPayload: (session: ConnectSession) => P): Promise<AsyncIterableIterator<Delivery<P>>> {
  const { services, identity } = context;
  return deliveries(context, async (message) => {
    if (message.type !== "CONNECT_SESSION_FINISHED" || message.userId !== identity.userId || message.clientId !== identity.clientId) return undefined;
    const session = await services.connectSessions.getForApp(message.connectSessionId, identity.clientId, identity.userId);
    return session ? { payload: toPayload(session), context: contextForEvent(context) } : undefined;
  });
}

/** Subscribes to the user's topic; `accept` decides and maps each message (undefined = not for this subscriber). */
async function deliveries<P>(
  context: GatewayContext,
  accept: (message: RealtimeMessage) => Promise<Delivery<P> | undefined>,
): Promise<AsyncIterableIterator<Delivery<P>>> {
  const { services, identity } = context;
  const source = await services.realtime.pubsub.subscribe(userTopic(identity.userId));
  return mapEvents(source, async (message) => {
    try {
      return await accept(message);
    } catch {
      // Consent could not be decided (say, the store is down): fail closed, this event is not delivered.
      return undefined;
    }
  });
}
