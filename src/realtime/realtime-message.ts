/**
 * What the gateway publishes over pub/sub, and on which topic. Pub/sub carries only HINTS: the
 * events themselves are in the person's log (src/store/event-log-repository.ts), which every
 * subscriber reads. A lost hint only delays delivery until the next head check (src/realtime/event-feed.ts).
 */

/** "The person's log now reaches `head`": published after the transaction that appended commits. */
export type RealtimeMessage = { type: "EVENTS_APPENDED"; userId: string; head: number };

/** The pub/sub topic of one user's messages. */
export function userTopic(userId: string): string {
  return `user:${userId}`;
}
