/**
 * The one place a connect session's outcome is announced to the app. Today it goes through the
 * realtime pub/sub (the `connectSessionFinished` subscription re-reads the session before it
 * delivers); when the durable event log lands, this is the function that moves there.
 */
import type { ConnectSession } from "../domain/connect-session.js";
import type { PubSub } from "../realtime/pubsub/pub-sub.js";
import { userTopic, type RealtimeMessage } from "../realtime/realtime-message.js";

/** Publishes "this session finished" on its person's topic (ids only: subscribers read the rest from the store). */
export function publishConnectOutcome(pubsub: PubSub<RealtimeMessage>, session: ConnectSession): Promise<void> {
  return pubsub.publish(userTopic(session.userId), {
    type: "CONNECT_SESSION_FINISHED",
    userId: session.userId,
    clientId: session.clientId,
    connectSessionId: session.id,
  });
}
