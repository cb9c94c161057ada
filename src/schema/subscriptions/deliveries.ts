/**
 * The stream behind each subscription field: the subscriber's own event log (replayed from the
 * `after` cursor, then live: src/realtime/event-feed.ts), narrowed to one kind of event, with
 * consent decided AGAIN for every event at the moment of delivery — by the same `decide` the
 * @requiresScopes guard and the bank gate use, against the requirements on the payload type in
 * the schema (`src/consent/delivery-decision.ts`). A revoked or expired consent, or an unlinked
 * bank, therefore stops delivery with the very next event; a row older than the consent's history
 * window is never delivered. A withheld event still moves the stream past it: the cursor of the
 * next delivered event is beyond it.
 *
 * The stream yields deliveries, `{ payload, context, event }`: each comes with a context of its
 * own (`contextForEvent`: fresh consent view, access recorder and links), so the guarded payload
 * types are checked against the decision just made; the delivery records (link, scope) on that
 * context, and the subscription server executes the event with it and writes its access log
 * before sending it, with `event` (eventId, cursor, occurredAt) in the result's extensions
 * (src/server/ws/event-stream.ts). The subscription's own context is never changed.
 */
import type { GraphQLResolveInfo } from "graphql";
import { ConsentStatus, type Consent } from "../../domain/consent.js";
import type { ConnectSession } from "../../domain/connect-session.js";
import type { DataBankEvent } from "../../domain/bank-event.js";
import { decideDelivery, payloadRequirements } from "../../consent/delivery-decision.js";
import type { EffectiveConsent } from "../../consent/consent-service.js";
import type { Grant, ScopeRequirement } from "../../consent/consent-view.js";
import type { LinkRef } from "../../loaders/link-loaders.js";
import { readAppEvent, type AppEvent, type ConsentEventKind } from "../../realtime/app-event.js";
import { encodeEventCursor } from "../../realtime/event-cursor.js";
import { mapEvents } from "../../realtime/map-events.js";
import type { PaymentView } from "../../payments/payment-service.js";
import { contextForEvent } from "../../request/build-context.js";
import { recordPaymentAccess } from "../mapping/payment-to-graphql.js";
import type { GatewayContext } from "../../request/gateway-context.js";
import { eventSourceOf } from "./resumable.js";

/** Which logged event a delivery is: what an app keeps to resume (`cursor`) and to de-duplicate (`eventId`). */
export interface EventMeta {
  readonly eventId: string;
  readonly cursor: string;
  readonly occurredAt: Date;
}

/** One event for one subscriber: its GraphQL payload, the context it executes with (its own), and which event it is. */
export interface Delivery<P> {
  readonly payload: P;
  readonly context: GatewayContext;
  readonly event: EventMeta;
}

type EventOf<K extends DataBankEvent["kind"]> = Extract<DataBankEvent, { kind: K }>;

/** A delivered payload and its context, or undefined when the subscriber may not have the event. */
type Accepted<P> = { payload: P; context: GatewayContext } | undefined;

/**
 * Bank events of one kind for the subscriber's links, each mapped to its GraphQL payload, only
 * while the subscriber's client holds a consent granting what the payload type requires (read
 * from the schema through `info`) on that link, and only for rows inside its history window.
 * `toPayload` must depend on the link and the event alone: its answer is shared by every
 * subscriber of the field.
 */
export function bankEventDeliveries<K extends DataBankEvent["kind"], P>(
  context: GatewayContext,
  info: GraphQLResolveInfo,
  kind: K,
  after: string | null | undefined,
  toPayload: (link: LinkRef, event: EventOf<K>) => P,
): Promise<AsyncIterableIterator<Delivery<P>>> {
  const field = info.parentType.getFields()[info.fieldName];
  if (!field || eventSourceOf(field) !== "BANK") {
    // The mark is what tells the schema's bank-event subscriptions from the others (test/consent/unit/delivery-decision.test.ts).
    throw new Error(`${info.parentType.name}.${info.fieldName} delivers bank events but is not marked @EventsFrom("BANK")`);
  }
  const requirements = payloadRequirements(info);
  const fieldKey = `${info.parentType.name}.${info.fieldName}`;
  return deliveries(context, after, (app) =>
    app.kind === "BANK" && app.event.kind === kind
      ? acceptBankEvent(context, requirements, app, (link, event) => sharedPayload(app, fieldKey, () => toPayload(link, event as EventOf<K>)))
      : undefined,
  );
}

/**
 * Bank-event payloads already mapped, per logged event and subscription field: a bank event's
 * payload depends on its link and the event only, so every subscriber of the field gets the same
 * object (read-only: execution only reads its root value) instead of a mapping of its own — one
 * event goes to every subscription of every person it concerns. Keyed weakly: gone with the row.
 */
const payloads = new WeakMap<AppEvent, Map<string, unknown>>();

function sharedPayload<P>(app: AppEvent, fieldKey: string, map: () => P): P {
  let byField = payloads.get(app);
  if (!byField) payloads.set(app, (byField = new Map<string, unknown>()));
  if (byField.has(fieldKey)) return byField.get(fieldKey) as P;
  const payload = map();
  byField.set(fieldKey, payload);
  return payload;
}

/** Consent events of one type about the subscriber's own client's consents, while the consent is in `status`. */
export function consentEventDeliveries<P>(
  context: GatewayContext,
  type: ConsentEventKind,
  status: ConsentStatus,
  after: string | null | undefined,
  toPayload: (consent: Consent) => P,
): Promise<AsyncIterableIterator<Delivery<P>>> {
  return deliveries(context, after, (app) => (app.kind === "CONSENT" && app.type === type ? acceptConsentEvent(context, app, status, toPayload) : undefined));
}

/**
 * The grants under which the subscriber's client may have this bank event now (and the consents
 * decided with), or undefined when consent withholds it.
 */
export async function decideBankEvent(
  context: GatewayContext,
  requirements: readonly ScopeRequirement[],
  app: Extract<AppEvent, { kind: "BANK" }>,
): Promise<{ grants: Grant[]; effective: Map<string, EffectiveConsent> } | undefined> {
  const { services, identity } = context;
  // Every delivery deciding at the same moment shares one consent read, started after this event
  // was read from the log (so never before a later revocation): src/consent/delivery-consents.ts.
  const deciding = await services.realtime.deliveryConsents.decidingFor(identity.userId, identity.clientId, app.linkId);
  const effective = new Map<string, EffectiveConsent>(deciding ? [[app.linkId, deciding]] : []);
  const grants = decideDelivery(deciding, requirements, app.event, services.clock.now());
  return grants && { grants, effective };
}

/**
 * The bank event for this subscriber, or undefined when consent withholds it. The grants are
 * recorded on the event's own context, whose access log the delivery commits.
 */
async function acceptBankEvent<P>(
  context: GatewayContext,
  requirements: readonly ScopeRequirement[],
  app: Extract<AppEvent, { kind: "BANK" }>,
  toPayload: (link: LinkRef, event: DataBankEvent) => P,
): Promise<Accepted<P>> {
  const decided = await decideBankEvent(context, requirements, app);
  if (!decided) return undefined;
  const eventContext = contextForEvent(context, decided.effective);
  const source = { linkId: app.linkId, institutionId: app.institutionId };
  for (const grant of decided.grants) eventContext.access.recordDecision(source, grant);
  return { payload: toPayload({ id: app.linkId, institutionId: app.institutionId }, app.event), context: eventContext };
}

/** The consent event for this subscriber: only its own client's consent, re-read now, while in `status`. */
export async function acceptConsentEvent<P>(
  context: GatewayContext,
  app: Extract<AppEvent, { kind: "CONSENT" }>,
  status: ConsentStatus,
  toPayload: (consent: Consent) => P,
): Promise<Accepted<P>> {
  const { services, identity } = context;
  if (app.clientId !== identity.clientId) return undefined;
  const current = await services.consents.getForUser(app.consentId, identity.userId);
  if (current.clientId !== identity.clientId || current.status !== status) return undefined;
  // An expiry warning about an end date the consent no longer has (it was renewed since) is news no more.
  if (app.warning && current.expiresAt?.getTime() !== app.warning.expiresAt.getTime()) return undefined;
  return { payload: toPayload(current), context: contextForEvent(context) };
}

/** Each logged event's identity, made once however many subscriptions deliver it (keyed weakly, like its payload). */
const metas = new WeakMap<AppEvent, EventMeta>();

/** What an app sees of a logged event's identity. Shared between deliveries: never mutate it. */
export function eventMeta(app: AppEvent): EventMeta {
  let meta = metas.get(app);
  if (!meta) metas.set(app, (meta = { eventId: app.logged.eventId, cursor: encodeEventCursor(app.logged.seq), occurredAt: app.logged.occurredAt }));
  return meta;
}

/** This app's connect sessions for the subscriber as they end, read afresh from the store (the log entry carries only ids). */
export function connectSessionDeliveries<P>(
  context: GatewayContext,
  after: string | null | undefined,
  toPayload: (session: ConnectSession) => P,
): Promise<AsyncIterableIterator<Delivery<P>>> {
  const { services, identity } = context;
  return deliveries(context, after, (app) => {
    if (app.kind !== "CONNECT" || app.clientId !== identity.clientId) return undefined;
    return services.connectSessions
      .getForApp(app.connectSessionId, identity.clientId, identity.userId)
      .then((session) => (session ? { payload: toPayload(session), context: contextForEvent(context) } : undefined));
  });
}

/**
 * This app's payments for the subscriber as their status changes: the change's status and the
 * payment re-read now, only for the app that created it; each delivery is on the access log.
 */
export function paymentEventDeliveries<P>(
  context: GatewayContext,
  after: string | null | undefined,
  toPayload: (change: Extract<AppEvent, { kind: "PAYMENT" }>, payment: PaymentView) => P,
): Promise<AsyncIterableIterator<Delivery<P>>> {
  return deliveries(context, after, (app) => (app.kind === "PAYMENT" ? acceptPaymentEvent(context, app, toPayload) : undefined));
}

/** The payment event for this subscriber: only its own app's payment, re-read now and recorded on the event's context. */
export async function acceptPaymentEvent<P>(
  context: GatewayContext,
  app: Extract<AppEvent, { kind: "PAYMENT" }>,
  toPayload: (change: Extract<AppEvent, { kind: "PAYMENT" }>, payment: PaymentView) => P,
): Promise<Accepted<P>> {
  const { services, identity } = context;
  if (app.clientId !== identity.clientId) return undefined;
  const view = await services.payments.get({ userId: identity.userId, clientId: identity.clientId }, app.paymentId);
  const eventContext = contextForEvent(context);
  await recordPaymentAccess(eventContext, [view]);
  return { payload: toPayload(app, view), context: eventContext };
}

/** Follows the user's event log from `after`; `accept` decides and maps each event (undefined = not for this subscriber). */
async function deliveries<P>(
  context: GatewayContext,
  after: string | null | undefined,
  accept: (event: AppEvent) => Promise<Accepted<P>> | undefined,
): Promise<AsyncIterableIterator<Delivery<P>>> {
  const { services, identity } = context;
  const source = await services.realtime.feed.follow(identity.userId, after ?? undefined);
  return mapEvents(source, async (logged) => {
    const app = logged.userId === identity.userId ? readAppEvent(logged) : undefined;
    if (!app) return undefined;
    try {
      const accepted = await accept(app);
      return accepted && { ...accepted, event: eventMeta(app) };
    } catch {
      // Consent could not be decided (say, the store is down): fail closed, this event is not delivered.
      return undefined;
    }
  });
}
