/**
 * Expiry as an event: intents the person did not confirm before their deadline become EXPIRED in
 * the store (status history source SYSTEM, reason NOT_CONFIRMED_IN_TIME) and the app that created
 * them is told (PAYMENT_STATUS_CHANGED through the person's event log). Reads never wait for it:
 * an overdue intent already reads EXPIRED ({@link effectivePaymentStatus}) and no longer counts
 * against the limits (src/store/payment-repository.ts `usage`); the sweep only makes it an event.
 *
 * Safe on any number of instances: each batch is one conditional UPDATE (status still
 * REQUIRES_CONFIRMATION, deadline passed, rows held elsewhere skipped), so an intent is expired
 * and announced exactly once, and never beside a confirmation or cancellation holding its row.
 */
import type { Clock } from "../clock.js";
import type { EventOutbox } from "../realtime/event-outbox.js";
import type { Database } from "../store/database.js";
import { PaymentRepository } from "../store/payment-repository.js";
import { PaymentChanges } from "./payment-changes.js";

export interface PaymentExpiryOptions {
  db: Database;
  clock: Clock;
  outbox: () => EventOutbox;
  /** Intents per transaction (default 100); a sweep runs batches until none is overdue. */
  batchSize?: number;
}

export class PaymentExpiry {
  private readonly changes: PaymentChanges;

  constructor(private readonly deps: PaymentExpiryOptions) {
    this.changes = new PaymentChanges(deps.clock, deps.outbox);
  }

  /** Expires every overdue intent now; returns how many this instance expired. */
  async sweepOnce(): Promise<number> {
    const batchSize = this.deps.batchSize ?? 100;
    let total = 0;
    for (;;) {
      const people = await this.deps.db.transaction(async (tx) => {
        const overdue = await new PaymentRepository(tx).expireOverdue(this.deps.clock.now(), batchSize);
        for (const intent of overdue) await this.changes.expired(tx, intent);
        return overdue.map((i) => i.userId);
      });
      total += people.length;
      for (const userId of new Set(people)) await this.deps.outbox().hintPerson(userId);
      if (people.length < batchSize) return total;
    }
  }
}
