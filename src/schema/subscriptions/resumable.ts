/**
 * What every subscription field shares: the `after` argument that resumes it from the event log,
 * and the shape of the `subscribe` callback's arguments.
 */
import type { GraphQLResolveInfo } from "graphql";
import type { GatewayContext } from "../../request/gateway-context.js";

/** The `subscribe` callback's arguments of a resumable subscription field. */
export type ResumableSubscribe = { args: { after?: string | null }; context: GatewayContext; info: GraphQLResolveInfo };

/** The description of every subscription's `after` argument. */
export const RESUME_AFTER =
  "Resume after this event cursor (extensions.event.cursor of the last result you processed): the events since are replayed in order, then live ones follow, none twice. Omit to receive only new events.";
