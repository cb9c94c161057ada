/**
 * Live subscribers follow their person's event log. Each follower reads the log after its cursor
 * (replay), then waits to be woken and reads again (live): one code path, so there is no gap and
 * no duplicate at the seam between replay and live. Two things wake a follower:
 * - a hint on pub/sub (published by src/realtime/event-outbox.ts after commit), normally;
 * - the head check: every `headCheckMs`, ONE query reads the heads of every person with a live
 *   follower on this instance, and wakes the followers behind. A lost hint only delays delivery.
 * A person's followers woken by one hint read the same rows: they share that one read (InFlight).
 * And the reads of every person woken in the same event-loop turn (one webhook's event concerns
 * many people, each hinted at once) go to the store as ONE query (DataLoader, batched per turn).
 */
import DataLoader from "dataloader";
import type { Logger } from "../observability/logger.js";
import type { Database } from "../store/database.js";
import { EventLogRepository, type LoggedEvent } from "../store/event-log-repository.js";
import { resolveEventCursor } from "./event-cursor.js";
import { InFlight } from "./in-flight.js";
import { userTopic, type RealtimeMessage } from "./realtime-message.js";
import type { PubSub } from "./pubsub/pub-sub.js";

/** Events read from the log per query. */
const READ_BATCH = 100;

/** What {@link EventFeed} needs. */
export interface EventFeedDeps {
  db: Database;
  pubsub: PubSub<RealtimeMessage>;
  logger: Logger;
  /** Time between head checks in ms; 0 = never (hints only). */
  headCheckMs: number;
}

export class EventFeed {
  private readonly log: EventLogRepository;
  private readonly followers = new Map<string, Set<Follower>>();
  private readonly reads = new InFlight();
  /**
   * Reads of many people's logs gathered for one event-loop turn into one query. Not a cache:
   * a read asked for after the query left goes into the next one (so it sees what committed since).
   */
  private readonly batchedReads: DataLoader<{ userId: string; afterSeq: number }, LoggedEvent[]>;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(private readonly deps: EventFeedDeps) {
    this.log = new EventLogRepository(deps.db);
    this.batchedReads = new DataLoader((positions) => this.log.readAfterMany(positions, READ_BATCH), {
      cache: false,
      batchScheduleFn: (run) => setImmediate(run),
    });
  }

  /** Starts the periodic head check (no-op when the interval is 0). */
  start(): void {
    if (this.deps.headCheckMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.checkHeads(), this.deps.headCheckMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.checking;
    await Promise.all([...this.followers.values()].flatMap((set) => [...set].map((f) => f.return())));
  }

  /** People with a live follower on this instance. */
  get followedPeople(): number {
    return this.followers.size;
  }

  /**
   * The person's events after the cursor `after`, then every event appended later, in order,
   * until `return()`. Without `after`, starts at the person's current head (live only). Resolves
   * once following: anything committed from then on is delivered. A bad cursor throws
   * (BAD_USER_INPUT, EVENT_CURSOR_EXPIRED) before anything is subscribed.
   */
  async follow(userId: string, after?: string): Promise<AsyncIterableIterator<LoggedEvent>> {
    const head = await this.log.head(userId);
    const afterSeq = after === undefined ? undefined : resolveEventCursor(after, head);
    const hints = await this.deps.pubsub.subscribe(userTopic(userId));
    // Live only: the head read AFTER subscribing, so an event committed in between is not skipped.
    const start = afterSeq ?? (await this.log.head(userId)).seq;
    const read = (afterSeq: number) => this.reads.run(`${userId}\u0000${afterSeq}`, () => this.batchedReads.load({ userId, afterSeq }));
    const follower = new Follower(read, userId, start, hints, () => this.forget(follower));
    let set = this.followers.get(userId);
    if (!set) this.followers.set(userId, (set = new Set()));
    set.add(follower);
    return follower;
  }

  /**
   * Catch-up: up to `limit` of the person's events after the cursor `after` (from the oldest kept
   * without one), only `kinds` when given, and whether more follow. Throws like {@link follow}.
   */
  async read(userId: string, after: string | undefined, limit: number, kinds?: readonly string[]): Promise<{ events: LoggedEvent[]; more: boolean }> {
    const head = await this.log.head(userId);
    const afterSeq = after === undefined ? head.prunedThrough : resolveEventCursor(after, head);
    const events = await this.log.readAfter(userId, afterSeq, limit + 1, kinds);
    return { events: events.slice(0, limit), more: events.length > limit };
  }

  /** One head check now (checks never overlap): ONE query for every followed person. */
  checkHeads(): Promise<void> {
    this.checking ??= this.checkOnce()
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, "event head check failed"))
      .finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (this.followers.size === 0) return;
    const heads = await this.log.heads([...this.followers.keys()]);
    for (const [userId, head] of heads) {
      for (const follower of this.followers.get(userId) ?? []) follower.wakeIfBehind(head);
    }
  }

  private forget(follower: Follower): void {
    const set = this.followers.get(follower.userId);
    set?.delete(follower);
    if (set?.size === 0) this.followers.delete(follower.userId);
  }
}

/**
 * One subscriber's position in a person's log. Hand-made iterator (see src/realtime/map-events.ts
 * for why): `return()` ends it at once, also while `next()` waits.
 */
class Follower implements AsyncIterableIterator<LoggedEvent> {
  private readonly buffer: LoggedEvent[] = [];
  private dirty = true;
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(
    /** The person's next rows after a sequence number (at most READ_BATCH; shared, never mutated). */
    private readonly readAfter: (afterSeq: number) => Promise<readonly LoggedEvent[]>,
    readonly userId: string,
    /** The highest sequence number read from the log so far. */
    private readThrough: number,
    private readonly hints: AsyncIterableIterator<RealtimeMessage>,
    private readonly onClose: () => void,
  ) {
    void this.listen();
  }

  wakeIfBehind(head: number): void {
    if (head <= this.readThrough) return;
    this.dirty = true;
    this.wake?.();
  }

  async next(): Promise<IteratorResult<LoggedEvent>> {
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      const event = this.buffer.shift();
      if (event) return { done: false, value: event };
      if (this.dirty) {
        this.dirty = false;
        const events = await this.readAfter(this.readThrough);
        if (this.closed) continue;
        this.buffer.push(...events);
        if (events.length > 0) this.readThrough = events[events.length - 1]!.seq;
        if (events.length === READ_BATCH) this.dirty = true;
        continue;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  async return(): Promise<IteratorResult<LoggedEvent>> {
    if (!this.closed) {
      this.closed = true;
      this.wake?.();
      this.onClose();
      await this.hints.return?.();
    }
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<LoggedEvent>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LoggedEvent> {
    return this;
  }

  private async listen(): Promise<void> {
    try {
      for (;;) {
        const hint = await this.hints.next();
        if (hint.done) return;
        this.wakeIfBehind(hint.value.head);
      }
    } catch {
      // The hint channel failed: the head check still wakes this follower.
    }
  }
}
