/**
 * `app_webhook_deliveries`: signed webhooks owed to apps (migration 010). A row is written in the
 * transaction that makes its event true (a revocation), so the app is told exactly when the change
 * committed; src/apps/app-webhooks.ts sends it.
 */
import type { Queryable } from "./database.js";
import { OutboxRows, type OutboxRow } from "./outbox-rows.js";

/** One webhook owed to an app. */
export interface AppWebhookDelivery extends OutboxRow {
  clientId: string;
  eventType: string;
  /** The exact JSON text that is signed and posted. */
  body: string;
  createdAt: Date;
}

function toDelivery(raw: Record<string, unknown>): AppWebhookDelivery {
  return {
    id: raw.id as string,
    attempts: raw.attempts as number,
    clientId: raw.client_id as string,
    eventType: raw.event_type as string,
    body: raw.body as string,
    createdAt: raw.created_at as Date,
  };
}

export class AppWebhookDeliveryRepository {
  readonly rows: OutboxRows<AppWebhookDelivery>;

  constructor(private readonly db: Queryable) {
    this.rows = new OutboxRows(db, "app_webhook_deliveries", toDelivery);
  }

  /** Owes `clientId` a webhook, due at once. */
  async enqueue(delivery: { id: string; clientId: string; eventType: string; body: string }, now: Date): Promise<void> {
    await this.db.query(`INSERT INTO app_webhook_deliveries (id, client_id, event_type, body, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)`, [
      delivery.id,
      delivery.clientId,
      delivery.eventType,
      delivery.body,
      now,
    ]);
  }

  /** Every row of one client, oldest first, with its bookkeeping (tests, operators). */
  async listForClient(clientId: string): Promise<Array<AppWebhookDelivery & { deliveredAt: Date | null; abandonedAt: Date | null; lastError: string | null }>> {
    const rows = await this.db.query(`SELECT * FROM app_webhook_deliveries WHERE client_id = $1 ORDER BY created_at, id`, [clientId]);
    return rows.map((raw) => ({
      ...toDelivery(raw),
      deliveredAt: (raw.delivered_at as Date | null) ?? null,
      abandonedAt: (raw.abandoned_at as Date | null) ?? null,
      lastError: (raw.last_error as string | null) ?? null,
    }));
  }
}
