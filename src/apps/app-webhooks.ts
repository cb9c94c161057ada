/**
 * Webhooks to apps, reliably: a webhook is owed by writing a row in the transaction that makes its
 * event true ({@link AppWebhooks.enqueueIn}); the dispatcher posts it after commit, signed with the
 * app's key (webhook-signature.ts), retrying with exponential backoff until the app answers 2xx.
 * Delivery is at least once: each body carries its delivery `id` (also in `Bankgraph-Delivery`)
 * for the app to drop a repeat. Only apps registered with a webhook URL get rows. The app's URL
 * and key are read at each attempt, so a rotated key signs the next one. Bodies carry ids, dates
 * and plain reasons — never a token, a secret or an account number.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.js";
import type { Logger } from "../observability/logger.js";
import { GiveUp, OutboxWorker, type OutboxRetryOptions } from "../resilience/outbox-dispatcher.js";
import { AppWebhookDeliveryRepository, type AppWebhookDelivery } from "../store/app-webhook-delivery-repository.js";
import { ClientRepository } from "../store/client-repository.js";
import type { Database, Queryable } from "../store/database.js";
import type { TokenCipher } from "../store/token-cipher.js";
import { SIGNATURE_HEADER, signWebhook } from "./webhook-signature.js";

/** The header naming the delivery (the same on every attempt). */
export const DELIVERY_HEADER = "Bankgraph-Delivery";

/** One event an app is told about: `type` (e.g. `consent.revoked`) plus its fields. */
export interface AppWebhookEvent {
  clientId: string;
  type: string;
  fields: Record<string, unknown>;
}

export interface AppWebhooksOptions {
  db: Database;
  clock: Clock;
  cipher: TokenCipher;
  retry: OutboxRetryOptions;
  logger: Logger;
  /** Per-attempt timeout (ms). Default 5000. */
  timeoutMs?: number;
  /** Told after each settled attempt (tests, metrics). */
  onSettled?: (delivery: AppWebhookDelivery, outcome: "DELIVERED" | "RETRY" | "ABANDONED") => void;
}

export class AppWebhooks extends OutboxWorker<AppWebhookDelivery> {
  constructor(private readonly options: AppWebhooksOptions) {
    const rows = () => new AppWebhookDeliveryRepository(options.db).rows;
    super({
      name: "app-webhooks",
      retry: options.retry,
      logger: options.logger,
      onSettled: options.onSettled,
      store: {
        claimDue: (now, leaseMs, limit) => rows().claimDue(now, leaseMs, limit),
        delivered: (row, at) => rows().delivered(row.id, at),
        retryLater: (row, retryAt, error) => rows().retryLater(row.id, retryAt, error),
        abandoned: (row, at, error) => rows().abandoned(row.id, at, error),
      },
    });
  }

  /**
   * Owes the app a webhook, inside the caller's transaction: written only if that commits. Returns
   * the delivery id, or null when the app has no webhook URL. Call {@link wake} after the commit.
   */
  async enqueueIn(tx: Queryable, event: AppWebhookEvent): Promise<string | null> {
    const app = await new ClientRepository(tx, this.options.clock).findActive(event.clientId);
    if (!app?.webhookUrl) return null;
    // Scheduling runs on wall time (an injected business clock may stand still or run ahead).
    const now = new Date();
    const repository = new AppWebhookDeliveryRepository(tx);
    const id = randomUUID();
    const body = JSON.stringify({ id, type: event.type, createdAt: now.toISOString(), ...event.fields });
    await repository.enqueue({ id, clientId: event.clientId, eventType: event.type, body }, now);
    return id;
  }

  protected async send(delivery: AppWebhookDelivery): Promise<void> {
    const app = await new ClientRepository(this.options.db, this.options.clock).findActive(delivery.clientId);
    if (!app?.webhookUrl || !app.webhookKeyCiphertext) throw new GiveUp("the app has no webhook URL any more");
    const key = this.options.cipher.decrypt(app.webhookKeyCiphertext);
    const signature = signWebhook(key, delivery.body, Math.floor(Date.now() / 1000));
    let response: Response;
    try {
      response = await fetch(app.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Bankgraph-Webhooks/1", [SIGNATURE_HEADER]: signature, [DELIVERY_HEADER]: delivery.id },
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      throw new Error(`the app's webhook URL did not answer (${cause})`, { cause: error });
    }
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) throw new Error(`the app answered ${response.status}`);
  }
}
