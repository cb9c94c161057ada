/**
 * Announces consents about to expire: every `intervalMs`, each AUTHORIZED consent expiring within
 * NOTICE_DAYS is claimed in the store (exactly one instance wins a consent, once, also across
 * restarts) and, in the claim's transaction, CONSENT_EXPIRING is appended to its user's event log
 * (src/realtime/event-outbox.ts). Delivery then goes only to subscribers of the consent's own client.
 */
import { DAY_MS, type Clock } from "../clock.js";
import type { ConsentService } from "../consent/consent-service.js";
import type { Logger } from "../observability/logger.js";
import { ConsentExpiryNoticeRepository } from "../store/consent-expiry-notice-repository.js";
import type { Database } from "../store/database.js";
import { consentEventEntry } from "./app-event.js";
import type { EventOutbox } from "./event-outbox.js";
import { PeriodicSweep } from "./periodic-sweep.js";

/** How long before expiry a consent is announced. */
export const NOTICE_DAYS = 7;
const BATCH = 200;

/** What {@link ConsentExpirySweep} needs. */
export interface ConsentExpirySweepDeps {
  db: Database;
  clock: Clock;
  consents: ConsentService;
  outbox: EventOutbox;
  logger: Logger;
  /** Time between sweeps in ms; 0 = never sweep on a timer. */
  intervalMs: number;
}

export class ConsentExpirySweep {
  private readonly notices: ConsentExpiryNoticeRepository;
  private readonly periodic: PeriodicSweep;

  constructor(private readonly deps: ConsentExpirySweepDeps) {
    this.notices = new ConsentExpiryNoticeRepository(deps.db);
    this.periodic = new PeriodicSweep({ name: "consent expiry sweep", intervalMs: deps.intervalMs, logger: deps.logger, sweepOnce: () => this.sweepOnce() });
  }

  /** Starts sweeping on the timer (no-op when the interval is 0). */
  start(): void {
    this.periodic.start();
  }

  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One sweep now (sweeps never overlap); returns how many consents it announced. */
  sweep(): Promise<number> {
    return this.periodic.sweep();
  }

  private async sweepOnce(): Promise<number> {
    let announced = 0;
    for (;;) {
      const now = this.deps.clock.now();
      const due = await this.notices.due(now, new Date(now.getTime() + NOTICE_DAYS * DAY_MS), BATCH);
      for (const { consentId, userId } of due) {
        const consent = await this.deps.consents.getForUser(consentId, userId);
        const claimed = await this.deps.outbox.record(async (tx, append) => {
          if (!(await new ConsentExpiryNoticeRepository(tx).claim(consentId, now))) return false;
          await append(consentEventEntry("CONSENT_EXPIRING", consent, now));
          return true;
        });
        if (claimed) announced++;
      }
      if (due.length < BATCH) return announced;
    }
  }
}
