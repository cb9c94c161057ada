/**
 * Recovering bank events the gateway missed: a bank retries a failed webhook only for a while,
 * so after a long enough outage some deliveries never come. Each bank numbers its deliveries,
 * and the gateway keeps how far it has heard each bank (`bank_event_marks`). The reconciler asks
 * the bank for every delivery numbered after that mark (src/webhooks/bank-event-feed.ts) and
 * hands each to the webhook intake — the same replay ledger, event log and state-never-backwards
 * rule as a webhook, so an event already accepted is a harmless duplicate. It runs
 *
 * - when the gateway starts (what was missed while it was down),
 * - when a delivery's number shows a gap (before that delivery is handled, so the log keeps the bank's order),
 * - every `intervalMs` (WEBHOOK_RECONCILE_MS), for a gap no later delivery reveals.
 *
 * One reconciler per bank at a time across instances: it claims the bank's mark row with a lease
 * (a conditional UPDATE), holding no transaction while it talks to the bank; a reconciler that
 * dies mid-way loses the lease when it expires. Within one instance, requests for a bank that is
 * being reconciled wait for that run and then run once more (what it fetched may predate them).
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.js";
import type { Logger } from "../observability/logger.js";
import type { ProviderModule } from "../providers/provider-module.js";
import { PeriodicSweep } from "../realtime/periodic-sweep.js";
import { BankEventMarkRepository } from "../store/bank-event-mark-repository.js";
import type { Database, Queryable } from "../store/database.js";
import { fetchEventsSince } from "./bank-event-feed.js";
import { deliverySequence } from "./delivery-sequence.js";
import type { DeliverySequencing, WebhookAnswer } from "./webhook-intake.js";

/** What {@link WebhookReconciler} needs. */
export interface WebhookReconcilerDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  modules: readonly ProviderModule[];
  /** The bank's API base URL when it is configured in this gateway. */
  bankUrlOf(institutionId: string): string | undefined;
  /** The bank's webhook secret, or undefined when its webhooks are not enabled. */
  secretFor(institutionId: string): string | undefined;
  /** Hands a listed delivery to the intake (`WebhookIntake.acceptListed`). */
  accept(institutionId: string, body: unknown): Promise<WebhookAnswer>;
  /** WEBHOOK_RECONCILE_MS: how often every bank is reconciled (0 = only at start and on gaps). */
  intervalMs: number;
  /** Per call to a bank's feed, in ms. */
  timeoutMs: number;
  /** How long a claim on a bank holds if its holder dies. Default 60 s. */
  leaseMs?: number;
}

/** One bank's run: how many listed deliveries were handled. */
interface Run {
  done: Promise<number>;
  again: boolean;
}

export class WebhookReconciler implements DeliverySequencing {
  private readonly owner = randomUUID();
  private readonly runs = new Map<string, Run>();
  /** Per bank, a mark this instance knows the stored one has reached (it never goes back): lets an in-order delivery skip the read. */
  private readonly knownMarks = new Map<string, number>();
  private readonly marks: BankEventMarkRepository;
  private readonly sweep: PeriodicSweep;
  private startup: Promise<number> | undefined;

  constructor(private readonly deps: WebhookReconcilerDeps) {
    this.marks = new BankEventMarkRepository(deps.db);
    this.sweep = new PeriodicSweep({ name: "webhook reconciliation", intervalMs: deps.intervalMs, logger: deps.logger, sweepOnce: () => this.reconcileAll() });
  }

  /** Reconciles every bank now (in the background) and then on the timer. */
  start(): void {
    this.startup = this.reconcileAll().catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, "webhook reconciliation at start failed; retried later");
      return 0;
    });
    this.sweep.start();
  }

  /** The run started by {@link start}: resolves with the deliveries it recovered (what was missed while the gateway was down). */
  startupRun(): Promise<number> {
    return this.startup ?? Promise.resolve(0);
  }

  /** Stops the timer and waits for runs in progress. */
  async stop(): Promise<void> {
    await this.sweep.stop();
    await this.startup?.catch(() => undefined);
    await Promise.allSettled([...this.runs.values()].map((r) => r.done));
  }

  /** Reconciles every bank heard from before; a bank that fails is logged and left for the next time. Returns deliveries handled. */
  async reconcileAll(): Promise<number> {
    let handled = 0;
    for (const institutionId of await this.marks.institutions()) {
      if (!this.feedOf(institutionId)) continue;
      handled += await this.reconcile(institutionId).catch((error: unknown) => {
        this.deps.logger.warn({ err: error, institutionId }, "webhook reconciliation failed; retried later");
        return 0;
      });
    }
    return handled;
  }

  /** Pulls and handles what the bank numbered after the mark; 0 when another instance holds the bank. */
  reconcile(institutionId: string): Promise<number> {
    const running = this.runs.get(institutionId);
    if (running) {
      running.again = true;
      return running.done;
    }
    const run: Run = { done: Promise.resolve(0), again: false };
    run.done = (async () => {
      let handled = 0;
      try {
        do {
          run.again = false;
          handled += await this.pull(institutionId);
        } while (run.again);
      } finally {
        this.runs.delete(institutionId);
      }
      return handled;
    })();
    this.runs.set(institutionId, run);
    return run.done;
  }

  async beforeDelivery(institutionId: string, sequence: number): Promise<void> {
    // The mark is known to be at least the one before: nothing can be missing (marks only rise), no read needed.
    if ((this.knownMarks.get(institutionId) ?? 0) >= sequence - 1) return;
    const check = await this.marks.check(institutionId, sequence);
    if (check.kind === "IN_ORDER") this.knowMark(institutionId, sequence - 1);
    if (check.kind === "GAP") this.knowMark(institutionId, check.lastSequence);
    if (check.kind !== "GAP") return;
    this.deps.logger.info({ institutionId, sequence, lastSequence: check.lastSequence }, "webhook sequence gap; reconciling first");
    await this.reconcile(institutionId).catch((error: unknown) =>
      this.deps.logger.warn({ err: error, institutionId }, "webhook reconciliation failed; delivery handled out of order"),
    );
  }

  async handled(tx: Queryable, institutionId: string, sequence: number): Promise<() => void> {
    const moved = await new BankEventMarkRepository(tx).handled(institutionId, sequence);
    return () => {
      if (moved) this.knowMark(institutionId, sequence);
    };
  }

  /** A lower bound of the bank's mark, learnt from this instance's own reads and committed moves. */
  private knowMark(institutionId: string, sequence: number): void {
    this.knownMarks.set(institutionId, Math.max(this.knownMarks.get(institutionId) ?? 0, sequence));
  }

  private async pull(institutionId: string): Promise<number> {
    const feed = this.feedOf(institutionId);
    if (!feed) return 0;
    const leaseMs = this.deps.leaseMs ?? 60_000;
    const lease = () => new Date(this.deps.clock.now().getTime() + leaseMs);
    let since = await this.marks.claim(institutionId, this.owner, this.deps.clock.now(), lease());
    if (since === undefined) return 0;
    let handled = 0;
    try {
      for (;;) {
        const listed = await fetchEventsSince({ ...feed, since, now: this.deps.clock.now(), timeoutMs: this.deps.timeoutMs });
        const numbered = listed.map((body) => ({ body, sequence: deliverySequence(feed.hooks.feed, body) })).filter((d) => d.sequence! > since!);
        if (numbered.length === 0) break;
        if (numbered[0]!.sequence! > since + 1) {
          this.deps.logger.warn({ institutionId, since, first: numbered[0]!.sequence }, "the bank no longer lists some missed deliveries");
        }
        for (const { body, sequence } of numbered) {
          const answer = await this.deps.accept(institutionId, body);
          if (answer.status !== 200) this.deps.logger.warn({ institutionId, sequence, status: answer.status }, "a listed delivery was not accepted");
          handled++;
        }
        since = numbered.at(-1)!.sequence!;
        await this.marks.raise(institutionId, since, this.deps.clock.now());
        this.knowMark(institutionId, since);
        // Still ours: a long catch-up must not let the lease lapse under it.
        if ((await this.marks.claim(institutionId, this.owner, this.deps.clock.now(), lease())) === undefined) break;
      }
    } finally {
      await this.marks.release(institutionId, this.owner);
    }
    if (handled > 0) this.deps.logger.info({ institutionId, handled, through: since }, "webhook deliveries reconciled");
    return handled;
  }

  /** How to ask the bank, when it numbers deliveries, is configured here and its webhooks are enabled. */
  private feedOf(institutionId: string) {
    const hooks = this.deps.modules.find((m) => m.id === institutionId)?.webhooks;
    const baseUrl = this.deps.bankUrlOf(institutionId);
    const secret = this.deps.secretFor(institutionId);
    if (!hooks?.feed || !baseUrl || !secret) return undefined;
    return { baseUrl, secret, hooks: { ...hooks, feed: hooks.feed } };
  }
}
