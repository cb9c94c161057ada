/**
 * How long the gateway keeps what each bank event leaves behind (EVENT_RETENTION_DAYS, default
 * 30). Every `intervalMs`, in batches:
 * - the event log: events recorded before the window are deleted, and each person's head
 *   remembers the highest sequence number removed, so a cursor pointing before it gets
 *   EVENT_CURSOR_EXPIRED (src/realtime/event-cursor.ts) instead of a silent gap;
 * - the newest state each link was told about (`event_subjects`), for things whose state last
 *   changed before the window;
 * - the replay ledger of bank webhooks (`webhook_events`), for events received before the window.
 * What forgetting the last two allows is an event delivered again, or a state older than the one
 * forgotten, more than the window after the fact: a bank retries a delivery for hours or days, a
 * captured one is refused after 5 minutes by its signed timestamp, and the reconciler lists only
 * deliveries after the last one handled. (The access log is the person's record of reads,
 * hash-chained, and not pruned here.)
 */
import { DAY_MS, type Clock } from "../clock.js";
import type { Logger } from "../observability/logger.js";
import type { Database } from "../store/database.js";
import { EventLogRepository } from "../store/event-log-repository.js";
import { WebhookEventRepository } from "../store/webhook-event-repository.js";
import { PeriodicSweep } from "./periodic-sweep.js";

const BATCH = 1000;

/** What {@link EventRetention} needs. */
export interface EventRetentionDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  retentionDays: number;
  /** Time between sweeps in ms; 0 = never on a timer. */
  intervalMs: number;
}

export class EventRetention {
  private readonly periodic: PeriodicSweep;

  constructor(private readonly deps: EventRetentionDeps) {
    this.periodic = new PeriodicSweep({ name: "event retention sweep", intervalMs: deps.intervalMs, logger: deps.logger, sweepOnce: () => this.sweepOnce() });
  }

  start(): void {
    this.periodic.start();
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One sweep now (never overlapping); returns how many events it deleted from the log. */
  sweep(): Promise<number> {
    return this.periodic.sweep();
  }

  private async sweepOnce(): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - this.deps.retentionDays * DAY_MS);
    const { db } = this.deps;
    const deleted = await inBatches(() => db.transaction((tx) => new EventLogRepository(tx).prune(before, BATCH)));
    await inBatches(() => new EventLogRepository(db).pruneSubjects(before, BATCH));
    await inBatches(() => new WebhookEventRepository(db).pruneBefore(before, BATCH));
    return deleted;
  }
}

/** Runs `prune` until a batch comes back short; the total it removed. */
async function inBatches(prune: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await prune();
    total += n;
    if (n < BATCH) return total;
  }
}
