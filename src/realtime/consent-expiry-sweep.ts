/**
 * Persists consents the clock has expired (ConsentService.expireDue: their EXPIRED event, payments
 * awaiting the person cancelled, the bank grant ended when it was the link's last live consent),
 * then warns apps of consents about to expire: every `intervalMs`, each AUTHORIZED consent is warned
 * 30 and then 7 days before its end date (the rule: src/consent/expiry-warnings.ts). Each warning is claimed in the
 * store per (consent, warning, end date) — exactly one instance wins it, once, also across
 * restarts — and, in the claim's transaction, CONSENT_EXPIRING (saying which warning, and of
 * which end date) is appended to its user's event log (src/realtime/event-outbox.ts). A renewed
 * consent has a new end date, so it is warned again. Delivery goes only to the consent's own client.
 *
 * Nearer warnings first: a consent already inside 7 days (a sweep missed, or a short consent)
 * gets the 7-day warning only, never a stale 30-day one after it. A farther warning at least as
 * long as the consent itself is skipped (a 30-day consent is not "expiring" the moment it is
 * granted); the 7-day one reaches every consent, however short.
 */
import type { Clock } from "../clock.js";
import type { ConsentService } from "../consent/consent-service.js";
import { EXPIRY_WARNING_DAYS } from "../consent/expiry-warnings.js";
import type { Logger } from "../observability/logger.js";
import { ConsentExpiryNoticeRepository } from "../store/consent-expiry-notice-repository.js";
import type { Database } from "../store/database.js";
import { consentEventEntry } from "./app-event.js";
import type { EventOutbox } from "./event-outbox.js";
import { PeriodicSweep } from "./periodic-sweep.js";

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
    // First the store catches up with the clock: lapsed consents become EXPIRED, with what that owes.
    await this.deps.consents.expireDue();
    let announced = 0;
    for (const thresholdDays of EXPIRY_WARNING_DAYS) announced += await this.warn(thresholdDays);
    return announced;
  }

  /** Sends every due warning of `thresholdDays`; returns how many this instance sent. */
  private async warn(thresholdDays: number): Promise<number> {
    let announced = 0;
    for (;;) {
      const now = this.deps.clock.now();
      const due = await this.notices.due(now, thresholdDays, BATCH, thresholdDays === EXPIRY_WARNING_DAYS[0]);
      for (const ref of due) {
        const consent = await this.deps.consents.getForUser(ref.consentId, ref.userId);
        const claimed = await this.deps.outbox.record(async (tx, append) => {
          if (!(await new ConsentExpiryNoticeRepository(tx).claim(ref, thresholdDays, now))) return false;
          await append(consentEventEntry("CONSENT_EXPIRING", consent, now, { thresholdDays, expiresAt: ref.expiresAt }));
          return true;
        });
        if (claimed) announced++;
      }
      if (due.length < BATCH) return announced;
    }
  }
}
