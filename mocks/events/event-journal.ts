/**
 * A bank's record of the webhook deliveries it made: each gets the bank's next sequence number
 * (1, 2, 3, … across all its customers), written into the body at the bank's `sequencePath`
 * before the body is signed, and is kept so the bank can list deliveries again ("events since",
 * event-feed-route.ts) and replay one (redeliver). Bounded: the oldest are forgotten first, as a
 * bank's own retention would.
 */
import type { MockEventFeedFormat } from "./mock-bank-event.js";

/** One journaled delivery. */
export interface JournalEntry {
  sequence: number;
  eventId: string;
  /** The exact JSON text delivered (sequence included). */
  text: string;
}

/** How many deliveries a bank keeps for its feed. */
const DEFAULT_KEEP = 10_000;

export class EventJournal {
  private readonly entries: JournalEntry[] = [];
  private readonly byEventId = new Map<string, JournalEntry>();
  private last = 0;

  constructor(
    private readonly feed: Pick<MockEventFeedFormat, "sequencePath">,
    private readonly keep = DEFAULT_KEEP,
  ) {}

  /** Numbers the body (in place, at the bank's sequence path) and keeps it; returns the entry. */
  append(eventId: string, body: Record<string, unknown>): JournalEntry {
    const sequence = ++this.last;
    setAtPath(body, this.feed.sequencePath, sequence);
    const entry: JournalEntry = { sequence, eventId, text: JSON.stringify(body) };
    this.entries.push(entry);
    this.byEventId.set(eventId, entry);
    if (this.entries.length > this.keep) this.byEventId.delete(this.entries.shift()!.eventId);
    return entry;
  }

  /** Deliveries numbered above `sequence`, oldest first, at most `limit`. */
  since(sequence: number, limit: number): JournalEntry[] {
    const first = this.entries.findIndex((e) => e.sequence > sequence);
    return first < 0 ? [] : this.entries.slice(first, first + limit);
  }

  /** A kept delivery by the bank's event ID. */
  find(eventId: string): JournalEntry | undefined {
    return this.byEventId.get(eventId);
  }

  /** The last sequence number handed out (0 before the first delivery). */
  get lastSequence(): number {
    return this.last;
  }
}

function setAtPath(body: Record<string, unknown>, path: readonly string[], value: number): void {
  let node = body;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== "object" || next === null) throw new Error(`No object at ${key} to number the event in`);
    node = next as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}
