/**
 * What happens to one webhook delivery, independent of HTTP: find the bank, check the signature
 * and the timestamp, translate the bank's format (its `webhook.ts`), record each event id once
 * (durably, across instances), answer — and only then route and publish the new events, in the
 * background, so a bank never waits on the gateway's fan-out.
 *
 * A replayed event is answered 200 like a new one (so the bank stops retrying) but nothing is
 * published for it. At-most-once: if the process dies between the record and the publish, that
 * event is not delivered.
 */
import type { Clock } from "../clock.js";
import type { Logger } from "../observability/logger.js";
import type { ProviderModule, ProviderWebhooks } from "../providers/provider-module.js";
import type { BankEvent } from "../domain/bank-event.js";
import type { BankEventRouter } from "../realtime/bank-event-router.js";
import type { Database } from "../store/database.js";
import { WebhookEventRepository } from "../store/webhook-event-repository.js";
import { verifyWebhookSignature, type SignatureProblem } from "./webhook-signature.js";

/** The answer to a delivery. */
export interface WebhookAnswer {
  status: 200 | 400 | 401 | 404;
  body: { accepted: number; duplicates: number } | { error: string };
}

/** What {@link WebhookIntake} needs. */
export interface WebhookIntakeDeps {
  db: Database;
  clock: Clock;
  /** Registered banks (the registry). */
  modules: readonly ProviderModule[];
  /** Whether the bank is configured in this gateway (has a URL). */
  isConfigured(institutionId: string): boolean;
  /** The bank's webhook secret, or undefined when webhooks from it are not enabled. */
  secretFor(institutionId: string): string | undefined;
  router: BankEventRouter;
  logger: Logger;
}

const MAX_EVENT_ID_LENGTH = 200;

const REFUSAL: Record<SignatureProblem, string> = {
  MISSING_HEADERS: "Missing or malformed signature or timestamp header",
  BAD_SIGNATURE: "Signature does not match",
  TIMESTAMP_OUT_OF_TOLERANCE: "Timestamp is more than 5 minutes from the gateway's clock",
};

export class WebhookIntake {
  private readonly ledger: WebhookEventRepository;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: WebhookIntakeDeps) {
    this.ledger = new WebhookEventRepository(deps.db);
  }

  /** Handles one delivery; `header(name)` reads a request header (case-insensitive). */
  async receive(institutionId: string, header: (name: string) => string | undefined, rawBody: Buffer): Promise<WebhookAnswer> {
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
    const events = parseEvents(hooks, rawBody);
    if (!events) return { status: 400, body: { error: `Not a ${module.name} event delivery` } };

    const fresh: BankEvent[] = [];
    for (const event of events) {
      if (await this.ledger.recordOnce(institutionId, event.eventId, this.deps.clock.now())) fresh.push(event);
    }
    if (fresh.length > 0) this.track(this.publish(institutionId, fresh));
    return { status: 200, body: { accepted: fresh.length, duplicates: events.length - fresh.length } };
  }

  /** Waits for background publishing (graceful shutdown, tests). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async publish(institutionId: string, events: BankEvent[]): Promise<void> {
    try {
      const published = await this.deps.router.route(institutionId, events);
      this.deps.logger.debug({ institutionId, events: events.length, published }, "webhook events published");
    } catch (error) {
      this.deps.logger.error({ err: error, institutionId }, "webhook events could not be published");
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}

/** The delivery's events, or null when it is not JSON in the bank's format. */
function parseEvents(hooks: ProviderWebhooks, rawBody: Buffer): BankEvent[] | null {
  try {
    const events = hooks.parse(JSON.parse(rawBody.toString("utf8")));
    const valid = events.length > 0 && events.every((e) => e.eventId.length > 0 && e.eventId.length <= MAX_EVENT_ID_LENGTH);
    return valid ? events : null;
  } catch {
    return null;
  }
}
