/**
 * How long the event log keeps a person's events (EVENT_RETENTION_DAYS, default 30): every
 * `intervalMs`, events recorded before the retention window are deleted in batches, and each
 * person's head remembers the highest sequence number removed, so a cursor pointing before it
 * gets EVENT_CURSOR_EXPIRED (src/realtime/event-cursor.ts) instead of a silent gap.
 */
import { DAY_MS, type Clock } from "../clock.js";
import type { Logger } from "../observability/logger.js";
import type { Database } from "../store/database.js";
import { EventLogRepository } from "../store/event-log-repository.js";
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

  /** One sweep now (never overlapping); returns how many events it deleted. */
  sweep(): Promise<number> {
    return this.periodic.sweep();
  }

  private async sweepOnce(): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - this.deps.retentionDays * DAY_MS);
    let deleted = 0;
    for (;;) {
      const n = await this.deps.db.transaction((tx) => new EventLogRepository(tx).prune(before, BATCH));
      deleted += n;
      if (n < BATCH) return deleted;
    }
  }
}
