/**
 * What happens to one webhook delivery, independent of HTTP: find the bank, check the signature
 * and the timestamp, translate the bank's format (its `webhook.ts`), find the people each event
 * concerns, then in ONE transaction record each event id once (the replay ledger, across
 * instances) and append each new event to the log of every person it concerns
 * (src/realtime/event-outbox.ts) — and answer 200 only after that commit. The hint to live
 * subscribers follows the commit; if the process dies in between, the event is still in the log.
 *
 * A replayed event is answered 200 like a new one (so the bank stops retrying) but logs nothing;
 * so is an event older than the state a link was already told about (payloads are state, and
 * state never moves backwards: a late balance never replaces a newer one). Both records are kept
 * for the event retention (src/realtime/event-retention.ts). Each event's log entries for all the
 * people it concerns are written in one batch.
 * A delivery that fails before the commit is answered 5xx and the bank retries it.
 * A payment's status (PAYMENT_STATUS_CHANGED, issue 16) is accepted and recorded in the replay
 * ledger like any event, but it is not bank data for apps and never enters the person's log.
 *
 * Banks number their deliveries (their `feed.sequencePath`). Before a delivery is handled, its
 * number is compared with how far the bank has been heard (`sequencing`, the reconciler): a gap
 * means deliveries were lost (the bank gave up retrying while the gateway was down), and they are
 * pulled from the bank's "events since" endpoint first, through {@link WebhookIntake.acceptListed}
 * — this same intake, minus the signature — so events are logged in the bank's order.
 */
import type { Clock } from "../clock.js";
import type { Logger } from "../observability/logger.js";
import type { ProviderModule, ProviderWebhooks } from "../providers/provider-module.js";
import { isDataEvent, type BankEvent } from "../domain/bank-event.js";
import type { BankPaymentStatus } from "../domain/bank-payment.js";
import type { Queryable } from "../store/database.js";
import { bankEventEntry, stateSubject } from "../realtime/app-event.js";
import type { BankEventRouter } from "../realtime/bank-event-router.js";
import type { EventOutbox } from "../realtime/event-outbox.js";
import { EventLogRepository } from "../store/event-log-repository.js";
import { WebhookEventRepository } from "../store/webhook-event-repository.js";
import { deliverySequence } from "./delivery-sequence.js";
import { verifyWebhookSignature, type SignatureProblem } from "./webhook-signature.js";

/** The answer to a delivery. */
export interface WebhookAnswer {
  status: 200 | 400 | 401 | 404;
  body: { accepted: number; duplicates: number } | { error: string };
}

/** What {@link WebhookIntake} needs. */
export interface WebhookIntakeDeps {
  clock: Clock;
  /** Registered banks (the registry). */
  modules: readonly ProviderModule[];
  /** Whether the bank is configured in this gateway (has a URL). */
  isConfigured(institutionId: string): boolean;
  /** The bank's webhook secret, or undefined when webhooks from it are not enabled. */
  secretFor(institutionId: string): string | undefined;
  router: BankEventRouter;
  outbox: EventOutbox;
  /** Told, inside the logging transaction, of each link a new event concerns (its cached bank data is stale); a rejection fails the delivery. */
  onLinkChanged?: (linkId: string) => Promise<void> | void;
  /** Keeps each bank's delivery numbers in line (src/webhooks/webhook-reconciler.ts); absent = numbers ignored. */
  sequencing?: DeliverySequencing;
  /**
   * A payment's status from the bank, applied inside the delivery's transaction (src/payments/):
   * answers the person whose payment moved (woken after commit), or null when no payment moved.
   */
  onPaymentStatus?: (tx: Queryable, institutionId: string, status: BankPaymentStatus) => Promise<string | null>;
  logger: Logger;
}

/** What the intake asks about a numbered delivery. */
export interface DeliverySequencing {
  /** Before a webhook numbered `sequence` is handled: fills any gap before it (never throws). */
  beforeDelivery(institutionId: string, sequence: number): Promise<void>;
  /**
   * Delivery `sequence` is being handled (accepted or a duplicate): records it inside the
   * delivery's transaction `tx`, so the mark moves with the ledger entry. Answers what to run once
   * that transaction committed.
   */
  handled(tx: Queryable, institutionId: string, sequence: number): Promise<() => void>;
}

const MAX_EVENT_ID_LENGTH = 200;

const REFUSAL: Record<SignatureProblem, string> = {
  MISSING_HEADERS: "Missing or malformed signature or timestamp header",
  BAD_SIGNATURE: "Signature does not match",
  TIMESTAMP_OUT_OF_TOLERANCE: "Timestamp is more than 5 minutes from the gateway's clock",
};

export class WebhookIntake {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: WebhookIntakeDeps) {}

  /** Handles one delivery; `header(name)` reads a request header (case-insensitive). */
  receive(institutionId: string, header: (name: string) => string | undefined, rawBody: Buffer): Promise<WebhookAnswer> {
    const work = this.handle(institutionId, header, rawBody);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  private async handle(institutionId: string, header: (name: string) => string | undefined, rawBody: Buffer): Promise<WebhookAnswer> {
    const module = this.deps.modules.find((m) => m.id === institutionId);
    const secret = this.deps.secretFor(institutionId);
    if (!module?.webhooks || !secret || !this.deps.isConfigured(institutionId)) {
      return { status: 404, body: { error: "No webhooks for this institution" } };
    }
    const hooks = module.webhooks;
    const problem = verifyWebhookSignature({
      secret,
      timestamp: header(hooks.timestampHeader),
      signature: header(hooks.signatureHeader),
      rawBody,
      now: this.deps.clock.now(),
    });
    if (problem) {
      this.deps.logger.warn({ institutionId, problem }, "webhook refused");
      return { status: 401, body: { error: REFUSAL[problem] } };
    }
    const body = parseJson(rawBody);
    const events = parseEvents(hooks, body);
    if (!events) return notTheFormat(module);
    const sequence = deliverySequence(hooks.feed, body);
    if (sequence !== undefined) await this.deps.sequencing?.beforeDelivery(institutionId, sequence);
    return this.accept(institutionId, events, sequence);
  }

  /**
   * A delivery the bank listed again in its "events since" answer (the reconciler fetched it from
   * the bank itself, so there is no signature to check): handled exactly as a webhook is, and
   * answered the same way.
   */
  acceptListed(institutionId: string, body: unknown): Promise<WebhookAnswer> {
    const module = this.deps.modules.find((m) => m.id === institutionId);
    if (!module?.webhooks) return Promise.resolve({ status: 404, body: { error: "No webhooks for this institution" } });
    const events = parseEvents(module.webhooks, body);
    if (!events) return Promise.resolve(notTheFormat(module));
    const work = this.accept(institutionId, events, deliverySequence(module.webhooks.feed, body));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  private async accept(institutionId: string, events: BankEvent[], sequence: number | undefined): Promise<WebhookAnswer> {
    // Who each event concerns is found first: it may call the bank, never inside a transaction.
    const routes = await this.deps.router.routesOf(institutionId, events);
    const paymentPeople = new Set<string>();
    let committed: (() => void) | undefined;
    const accepted = await this.deps.outbox.record(async (tx, append) => {
      const ledger = new WebhookEventRepository(tx);
      const log = new EventLogRepository(tx);
      const now = this.deps.clock.now();
      let fresh = 0;
      for (const [i, event] of events.entries()) {
        if (!(await ledger.recordOnce(institutionId, event.eventId, now))) continue;
        fresh++;
        // A payment's status (PAYMENT_STATUS_CHANGED) is accepted and kept in the replay ledger, but it is not bank data for apps:
        // it never enters the person's data log; it moves the payment (forward only), which tells the app that created it.
        if (!isDataEvent(event)) {
          const moved = await this.deps.onPaymentStatus?.(tx, institutionId, event.payment);
          if (moved) paymentPeople.add(moved);
          continue;
        }
        const subject = stateSubject(event);
        let concerned = routes[i]!;
        if (subject) {
          // Older than the state a link was already told about (delivered out of order): not logged for that link.
          const moved = await log.advanceSubjects(
            concerned.map((r) => r.linkId),
            subject,
            event.occurredAt,
            now,
          );
          concerned = concerned.filter((r) => moved.has(r.linkId));
        }
        await Promise.all(concerned.map(async ({ linkId }) => this.deps.onLinkChanged?.(linkId)));
        await append(...concerned.map(({ userId, linkId }) => bankEventEntry(userId, linkId, institutionId, event)));
      }
      if (sequence !== undefined) committed = await this.deps.sequencing?.handled(tx, institutionId, sequence);
      return fresh;
    });
    committed?.();
    for (const userId of paymentPeople) await this.deps.outbox.hintPerson(userId);
    this.deps.logger.debug({ institutionId, events: events.length, accepted, sequence }, "webhook events logged");
    return { status: 200, body: { accepted, duplicates: events.length - accepted } };
  }

  /** Waits for deliveries being handled (graceful shutdown, tests). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}

function notTheFormat(module: ProviderModule): WebhookAnswer {
  return { status: 400, body: { error: `Not a ${module.name} event delivery` } };
}

/** The body as JSON, or undefined when it is not JSON. */
function parseJson(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** The delivery's events, or null when it is not in the bank's format. */
function parseEvents(hooks: ProviderWebhooks, body: unknown): BankEvent[] | null {
  try {
    const events = hooks.parse(body);
    const valid = events.length > 0 && events.every((e) => e.eventId.length > 0 && e.eventId.length <= MAX_EVENT_ID_LENGTH);
    return valid ? events : null;
  } catch {
    return null;
  }
}
