import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Info, Int, Query, Resolver } from "type-graphql";
import type { GatewayContext } from "../../request/gateway-context.js";
import { pageComplexity } from "../complexity.js";
import { readEventPage } from "../events/read-event-page.js";
import { EventConnection, EventKind } from "../types/event.type.js";

@Resolver()
export class EventsResolver {
  @Query(() => EventConnection, {
    complexity: pageComplexity(50),
    description:
      "Catch-up for an app that was away: the person's events after a cursor, oldest first — the same events, ids and cursors the subscriptions deliver, under the same consent rules. Kept for EVENT_RETENTION_DAYS (default 30); an older cursor fails with EVENT_CURSOR_EXPIRED (re-read the state, then continue without `after`). Pass pageInfo.endCursor to a subscription's `after` to go live without a gap.",
  })
  async events(
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
    @Arg("first", () => Int, { defaultValue: 50, description: "Page size, 1 to 100." }) first: number,
    @Arg("after", () => String, {
      nullable: true,
      description:
        "An event cursor: endCursor of the previous page, or a subscription result's extensions.event.cursor. Omit to start at the oldest event kept.",
    })
    after?: string | null,
    @Arg("kinds", () => [EventKind], { nullable: true, description: "Only these kinds (default: all)." }) kinds?: EventKind[] | null,
  ): Promise<EventConnection> {
    return readEventPage(context, info, { first, after, kinds });
  }
}
