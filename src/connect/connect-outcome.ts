/**
 * The one place a connect session's outcome becomes an event for the app: appended to the
 * person's event log in the transaction that ends the session (src/realtime/event-outbox.ts), so
 * the \`connectSessionFinished\` subscription and the \`events\` catch-up see it even if the process
 * dies before the hint. The entry carries ids only: deliveries re-read the session.
 */
import type { ConnectSession } from "../domain/connect-session.js";
import { connectSessionEventEntry } from "../realtime/app-event.js";
import type { NewLoggedEvent } from "../store/event-log-repository.js";

/** The log entry saying "this session finished"; only the app that created it receives it. */
export function connectOutcomeEntry(session: ConnectSession & { finishedAt: Date }): NewLoggedEvent {
  return connectSessionEventEntry({ userId: session.userId, clientId: session.clientId, connectSessionId: session.id, occurredAt: session.finishedAt });
}
