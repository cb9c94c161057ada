/**
 * The `events` catch-up query: a page of the person's event log, decided event by event with the
 * same consent rules as the subscriptions (src/schema/subscriptions/deliveries.ts) — a bank event
 * only under a consent granting what its payload type requires, inside the history window; a
 * consent event only for the app it concerns. Delivered bank events are recorded on the request's
 * access recorder, so the request's access-log commit covers them ("no record, no data").
 * Withheld events are skipped, and the page's endCursor still moves past them.
 */
import { getNamedType, type GraphQLObjectType, type GraphQLResolveInfo } from "graphql";
import { payloadRequirements } from "../../consent/delivery-decision.js";
import type { ScopeRequirement } from "../../consent/consent-view.js";
import { ConsentStatus } from "../../domain/consent.js";
import { badInput } from "../../errors.js";
import { readAppEvent, type AppEvent } from "../../realtime/app-event.js";
import { encodeEventCursor } from "../../realtime/event-cursor.js";
import type { GatewayContext } from "../../request/gateway-context.js";
import { toBalanceUpdate, toFraudAlert } from "../mapping/realtime-to-graphql.js";
import { toConnectSession } from "../mapping/connect-session-to-graphql.js";
import { recordPaymentAccess, toPaymentStatusUpdate } from "../mapping/payment-to-graphql.js";
import { toConsent, toReceipt, toTransaction } from "../mapping/to-graphql.js";
import { acceptConsentEvent, decideBankEvent, eventMeta } from "../subscriptions/deliveries.js";
import { Event, EventKind, type EventConnection } from "../types/event.type.js";

const MAX_PAGE = 100;
/** Log rows examined per request at most (withheld ones included); the page then ends early, hasNextPage true. */
const MAX_SCANNED = 1000;

/** The payload field of `Event` each bank event kind fills. */
const BANK_FIELD = {
  BALANCE_CHANGED: "balanceUpdate",
  TRANSACTION_PENDING: "transaction",
  TRANSACTION_POSTED: "transaction",
  RECEIPT_UPDATED: "receipt",
  FRAUD_ALERT: "fraudAlert",
} as const;

/** What a consent event's consent must be in now to be told. */
const CONSENT_STATUS = {
  CONSENT_EXPIRING: ConsentStatus.AUTHORIZED,
  CONSENT_REVOKED: ConsentStatus.REVOKED,
  CONSENT_RENEWED: ConsentStatus.AUTHORIZED,
} as const;

export async function readEventPage(
  context: GatewayContext,
  info: GraphQLResolveInfo,
  args: { first: number; after?: string | null; kinds?: readonly EventKind[] | null },
): Promise<EventConnection> {
  const { first } = args;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}`);
  if (args.kinds && args.kinds.length === 0) throw badInput("kinds: name at least one kind, or leave it out");
  const requirements = requirementsByField(info);
  const nodes: Event[] = [];
  let after = args.after ?? undefined;
  let scanned = 0;
  let more = true;
  while (nodes.length < first && more && scanned < MAX_SCANNED) {
    const page = await context.services.realtime.feed.read(context.identity.userId, after, first - nodes.length, args.kinds ?? undefined);
    more = page.more;
    for (const logged of page.events) {
      scanned++;
      const app = readAppEvent(logged);
      const node = app && (await toEvent(context, requirements, app).catch(() => undefined));
      if (node) nodes.push(node);
      after = encodeEventCursor(logged.seq);
    }
  }
  return { nodes, pageInfo: { hasNextPage: more, hasPreviousPage: false, startCursor: nodes[0]?.cursor ?? null, endCursor: after ?? null } };
}

/** The event as this app may see it, or undefined when consent withholds it (or it cannot be decided: fail closed). */
async function toEvent(context: GatewayContext, requirements: ReadonlyMap<string, ScopeRequirement[]>, app: AppEvent): Promise<Event | undefined> {
  const event = Object.assign(new Event(), {
    ...eventMeta(app),
    kind: app.logged.kind as EventKind,
    balanceUpdate: null,
    transaction: null,
    receipt: null,
    fraudAlert: null,
    consent: null,
    expiryWarningDays: null,
    connectSession: null,
    paymentStatusUpdate: null,
  });
  if (app.kind === "PAYMENT") {
    const { userId, clientId } = context.identity;
    if (app.clientId !== clientId) return undefined;
    const view = await context.services.payments.get({ userId, clientId }, app.paymentId);
    // On this page's access record, as the bank events it delivers.
    await recordPaymentAccess(context, [view]);
    return Object.assign(event, { paymentStatusUpdate: toPaymentStatusUpdate(app, view) });
  }
  if (app.kind === "CONNECT") {
    if (app.clientId !== context.identity.clientId) return undefined;
    const session = await context.services.connectSessions.getForApp(app.connectSessionId, context.identity.clientId, context.identity.userId);
    return session ? Object.assign(event, { connectSession: toConnectSession(session) }) : undefined;
  }
  if (app.kind === "CONSENT") {
    const accepted = await acceptConsentEvent(context, app, CONSENT_STATUS[app.type], toConsent);
    return accepted && Object.assign(event, { consent: accepted.payload, expiryWarningDays: app.warning?.thresholdDays ?? null });
  }
  const decided = await decideBankEvent(context, requirements.get(BANK_FIELD[app.event.kind])!, app);
  if (!decided) return undefined;
  const link = { id: app.linkId, institutionId: app.institutionId };
  for (const grant of decided.grants) context.access.recordDecision({ linkId: app.linkId, institutionId: app.institutionId }, grant);
  const e = app.event;
  switch (e.kind) {
    case "BALANCE_CHANGED":
      return Object.assign(event, { balanceUpdate: toBalanceUpdate(link, e.balance) });
    case "TRANSACTION_PENDING":
    case "TRANSACTION_POSTED":
      return Object.assign(event, { transaction: toTransaction(link, e.transaction) });
    case "RECEIPT_UPDATED":
      return Object.assign(event, { receipt: toReceipt(link, e.receipt) });
    case "FRAUD_ALERT":
      return Object.assign(event, { fraudAlert: toFraudAlert(link, e.alert) });
  }
}

/** What each payload field of `Event` requires, read from the schema (the payload types' @requiresScopes). */
function requirementsByField(info: GraphQLResolveInfo): Map<string, ScopeRequirement[]> {
  const connection = getNamedType(info.returnType) as GraphQLObjectType;
  const parentType = getNamedType(connection.getFields()["nodes"]!.type) as GraphQLObjectType;
  return new Map(
    [...new Set(Object.values(BANK_FIELD))].map((fieldName) => [
      fieldName,
      payloadRequirements({ schema: info.schema, parentType, fieldName, returnType: parentType.getFields()[fieldName]!.type }),
    ]),
  );
}
