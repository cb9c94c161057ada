/**
 * What the gateway publishes to its subscribers, and on which topic. The bank event itself is
 * domain data (`src/domain/bank-event.ts`).
 */
import type { BankEvent } from "../domain/bank-event.js";
import type { Consent } from "../domain/consent.js";

/**
 * What travels over pub/sub, on the topic of the user it is for: a bank event routed to one of
 * the user's links, a consent about to expire, or a connect session that ended.
 */
export type RealtimeMessage =
  | { type: "BANK_EVENT"; userId: string; linkId: string; institutionId: string; event: BankEvent }
  | { type: "CONSENT_EXPIRING"; userId: string; consent: Consent }
  /** A connect session the app `clientId` created for the user ended (COMPLETED or DENIED). */
  | { type: "CONNECT_SESSION_FINISHED"; userId: string; clientId: string; connectSessionId: string };

/** The pub/sub topic of one user's messages. */
export function userTopic(userId: string): string {
  return `user:${userId}`;
}
