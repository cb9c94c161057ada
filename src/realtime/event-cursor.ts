/**
 * Event cursors: an opaque string naming a position in ONE person's event log (its sequence
 * number). Checked against the person's head before use: beyond the head is not a cursor of
 * theirs (BAD_USER_INPUT); before what retention removed has expired (EVENT_CURSOR_EXPIRED).
 */
import { badInput, ErrorCode, GatewayError } from "../errors.js";
import type { EventHead } from "../store/event-log-repository.js";

const PREFIX = "ev1:";

/** The cursor of the event at `seq`. */
export function encodeEventCursor(seq: number): string {
  return Buffer.from(`${PREFIX}${seq}`).toString("base64url");
}

/**
 * The sequence number to read after, for the cursor `after` of a person whose head is `head`.
 * Throws BAD_USER_INPUT for a malformed or foreign cursor, EVENT_CURSOR_EXPIRED for an expired one.
 */
export function resolveEventCursor(after: string, head: EventHead): number {
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(after) ? Buffer.from(after, "base64url").toString("utf8") : "";
  const match = /^ev1:(0|[1-9]\d{0,15})$/.exec(text);
  const seq = match ? Number(match[1]) : NaN;
  if (!Number.isSafeInteger(seq) || seq > head.seq) throw badInput("after: not an event cursor of this person's events");
  if (seq < head.prunedThrough) {
    throw new GatewayError(
      ErrorCode.EVENT_CURSOR_EXPIRED,
      "after: the events after this cursor are no longer kept; re-read the current state, then resume without `after`",
    );
  }
  return seq;
}
