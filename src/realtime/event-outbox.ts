/**
 * The ONE place app-facing events are published: appended to the person's log inside the
 * transaction that makes them true (the webhook's replay-ledger entry, the expiry notice's claim,
 * a consent change), then — only after that transaction committed — a hint on pub/sub. If the
 * process dies between commit and hint, the event is in the log and reaches subscribers at the
 * next head check (src/realtime/event-feed.ts) or when they resume with their cursor.
 */
import type { Clock } from "../clock.js";
import type { Logger } from "../observability/logger.js";
import type { Database, Queryable } from "../store/database.js";
import { EventLogRepository, type LoggedEvent, type NewLoggedEvent } from "../store/event-log-repository.js";
import { userTopic, type RealtimeMessage } from "./realtime-message.js";
import type { PubSub } from "./pubsub/pub-sub.js";

/** Appends events, in the order given, in the transaction it was handed with: one statement however many. */
export type AppendEvents = (...events: NewLoggedEvent[]) => Promise<LoggedEvent[]>;

/** What {@link EventOutbox} needs. */
export interface EventOutboxDeps {
  db: Database;
  clock: Clock;
  pubsub: PubSub<RealtimeMessage>;
  logger: Logger;
  /** Fault injection (tests): hints are not published, as if the process died after every commit. */
  dropHints?: boolean;
}

export class EventOutbox {
  constructor(private readonly deps: EventOutboxDeps) {}

  /**
   * Runs `work` in one transaction, with `append` writing events into that same transaction;
   * after COMMIT, hints each person whose log grew. Returns what `work` returned.
   */
  async record<T>(work: (tx: Queryable, append: AppendEvents) => Promise<T>): Promise<T> {
    const appended: LoggedEvent[] = [];
    const result = await this.deps.db.transaction(async (tx) => {
      const log = new EventLogRepository(tx);
      const now = this.deps.clock.now();
      return work(tx, async (...events) => {
        const logged = await log.appendAll(events, now);
        appended.push(...logged);
        return logged;
      });
    });
    await this.hint(appended);
    return result;
  }

  /**
   * For a transaction this outbox does not run (a consent change inside the consent service's own
   * transaction): appends there. Call {@link hintPerson} once it committed; if nobody does, the
   * head check delivers it.
   */
  appendIn(tx: Queryable, event: NewLoggedEvent): Promise<LoggedEvent> {
    return new EventLogRepository(tx).append(event, this.deps.clock.now());
  }

  /** After a commit that appended for `userId` through {@link appendIn}: wakes that person's live followers. */
  hintPerson(userId: string): Promise<void> {
    return this.hint([{ userId, seq: Number.MAX_SAFE_INTEGER }]);
  }

  /** After commit: one hint per person, naming the highest sequence number appended. Never throws. */
  private async hint(appended: ReadonlyArray<Pick<LoggedEvent, "userId" | "seq">>): Promise<void> {
    if (appended.length === 0 || this.deps.dropHints) return;
    const heads = new Map<string, number>();
    for (const { userId, seq } of appended) heads.set(userId, Math.max(heads.get(userId) ?? 0, seq));
    await Promise.all(
      [...heads].map(([userId, head]) =>
        this.deps.pubsub.publish(userTopic(userId), { type: "EVENTS_APPENDED", userId, head }).catch((error: unknown) => {
          // Delivery still happens: the head check finds the new events.
          this.deps.logger.warn({ err: error }, "event hint not published");
        }),
      ),
    );
  }
}
