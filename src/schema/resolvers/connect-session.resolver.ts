import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { notFound } from "../../errors.js";
import { userPresent, type GatewayContext } from "../../request/gateway-context.js";
import { ErrorCode, GatewayError } from "../../errors.js";
import { toConnectSession } from "../mapping/connect-session-to-graphql.js";
import { connectSessionDeliveries } from "../subscriptions/deliveries.js";
import { EventsFrom, RESUME_AFTER, type ResumableSubscribe } from "../subscriptions/resumable.js";
import { ConnectSession, ConnectSessionStart, CreateConnectSessionInput } from "../types/connect-session.type.js";

type Subscribe = ResumableSubscribe;

/**
 * Connect sessions, the app's side: start one with the app's own token, then learn the outcome by
 * query or subscription (and by the redirect, which Bankgraph's pages do).
 */
@Resolver(() => ConnectSession)
export class ConnectSessionResolver {
  @Mutation(() => ConnectSessionStart, {
    description:
      "The app asks the person for access: everything is validated now (purpose, scopes, banks, duration, history, redirect URI, state). Send the person to `url`.",
  })
  async createConnectSession(
    @Arg("input", () => CreateConnectSessionInput) input: CreateConnectSessionInput,
    @Ctx() context: GatewayContext,
  ): Promise<ConnectSessionStart> {
    if (userPresent(context)) {
      throw new GatewayError(ErrorCode.FORBIDDEN, "createConnectSession is for an app's own token, not a user-present (consent:manage) token");
    }
    const created = await context.services.connectSessions.create(context.identity.clientId, context.identity.userId, input);
    return Object.assign(new ConnectSessionStart(), created);
  }

  @Query(() => ConnectSession, { description: "One of this app's connect sessions for this person; NOT_FOUND for anyone else's." })
  async connectSession(@Arg("id", () => ID) id: string, @Ctx() context: GatewayContext): Promise<ConnectSession> {
    const session = await context.services.connectSessions.getForApp(id, context.identity.clientId, context.identity.userId);
    if (!session) throw notFound("Connect session");
    return toConnectSession(session);
  }

  @EventsFrom("GATEWAY")
  @Subscription(() => ConnectSession, {
    description: "One of this app's connect sessions for this person ended (COMPLETED or DENIED): the app need not wait for the browser to come back.",
    subscribe: ({ args, context }: Subscribe) => connectSessionDeliveries(context, args.after, toConnectSession),
  })
  connectSessionFinished(
    @Root() session: ConnectSession,
    @Arg("after", () => String, { nullable: true, description: RESUME_AFTER }) _after?: string,
  ): ConnectSession {
    return session;
  }
}
