/**
 * What every subscription field shares: the `after` argument that resumes it from the event log,
 * the shape of the `subscribe` callback's arguments, and where its events come from.
 */
import type { GraphQLField, GraphQLResolveInfo } from "graphql";
import { Extensions } from "type-graphql";
import type { GatewayContext } from "../../request/gateway-context.js";

/**
 * Where a subscription's events come from: `BANK` — a bank's webhook, so the payload is bank data
 * and is delivered only under the `@requiresScopes` of the field and its payload type
 * (`bankEventDeliveries` refuses a field not marked so); `GATEWAY` — the gateway's own records about
 * the app (its consents, its connect sessions), told only to that app.
 */
export type EventSource = "BANK" | "GATEWAY";

/** Every subscription field says where its events come from (a field extension in the built schema). */
export function EventsFrom(source: EventSource): ReturnType<typeof Extensions> {
  return Extensions({ eventSource: source });
}

/** The source a subscription field declares, or undefined when it declares none. */
export function eventSourceOf(field: Pick<GraphQLField<unknown, unknown>, "extensions">): EventSource | undefined {
  const source = (field.extensions as { eventSource?: unknown } | undefined)?.eventSource;
  return source === "BANK" || source === "GATEWAY" ? source : undefined;
}

/** The `subscribe` callback's arguments of a resumable subscription field. */
export type ResumableSubscribe = { args: { after?: string | null }; context: GatewayContext; info: GraphQLResolveInfo };

/** The description of every subscription's `after` argument. */
export const RESUME_AFTER =
  "Resume after this event cursor (extensions.event.cursor of the last result you processed): the events since are replayed in order, then live ones follow, none twice. Omit to receive only new events.";
