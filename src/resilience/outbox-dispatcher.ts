/**
 * Works off one outbox table (src/store/outbox-rows.ts) reliably: claims due rows, runs `send` for
 * each, and records the outcome — delivered, or tried again after an exponential backoff
 * (`baseDelayMs · 2^(attempt-1)`, capped at `maxDelayMs`, with ±20 % jitter so instances do not
 * retry in lockstep), or abandoned after `maxAttempts`. It runs when woken (right after a commit
 * that wrote rows: `wake()`) and on a timer (`pollMs`), so a row written or failed on any instance
 * is picked up by some instance; the lease taken when claiming keeps two instances from sending
 * the same row at once. `send` reports a failure by throwing; the message is stored, so it must
 * not carry a secret.
 */

/** Where failures are told (a pino logger fits). */
export interface OutboxLogger {
  warn(details: object, message: string): void;
}

/** A permanent failure: no further attempt is made (e.g. the app removed its webhook). */
export class GiveUp extends Error {
  override readonly name = "GiveUp";
}

/** How an outbox's rows are claimed and settled (its repository, per call a fresh transaction-free one). */
export interface OutboxStore<Row extends { id: string; attempts: number }> {
  claimDue(now: Date, leaseMs: number, limit: number): Promise<Row[]>;
  delivered(row: Row, at: Date): Promise<void>;
  retryLater(row: Row, retryAt: Date, error: string): Promise<void>;
  abandoned(row: Row, at: Date, error: string): Promise<void>;
}

/** Retry settings, shared by the outboxes (REVOCATION_OUTBOX_* in src/config.ts). */
export interface OutboxRetryOptions {
  /** How often every instance looks for due rows (ms); 0 = only when woken. Default 2000. */
  pollMs: number;
  /** First retry delay (ms). Default 1000. */
  baseDelayMs: number;
  /** Longest retry delay (ms). Default 3 600 000 (one hour). */
  maxDelayMs: number;
  /** Attempts before a row is abandoned. Default 12. */
  maxAttempts: number;
}

export const DEFAULT_OUTBOX_RETRY: Readonly<OutboxRetryOptions> = { pollMs: 2000, baseDelayMs: 1000, maxDelayMs: 3_600_000, maxAttempts: 12 };

export interface OutboxDispatcherOptions<Row extends { id: string; attempts: number }> {
  name: string;
  store: OutboxStore<Row>;
  send: (row: Row) => Promise<void>;
  retry: OutboxRetryOptions;
  logger: OutboxLogger;
  now?: () => Date;
  /** How long a claimed row is this instance's (ms); longer than any `send`. Default 60 000. */
  leaseMs?: number;
  /** Rows per claim. Default 20. */
  batchSize?: number;
  /** Told after each settled attempt (metrics, tests). */
  onSettled?: (row: Row, outcome: "DELIVERED" | "RETRY" | "ABANDONED") => void;
}

/** The delay before attempt `attempts + 1`, jittered. */
export function backoffMs(attempts: number, retry: Pick<OutboxRetryOptions, "baseDelayMs" | "maxDelayMs">, random = Math.random): number {
  const exact = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exact * (0.8 + 0.4 * random()));
}

export class OutboxDispatcher<Row extends { id: string; attempts: number }> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private readonly now: () => Date;

  constructor(private readonly options: OutboxDispatcherOptions<Row>) {
    this.now = options.now ?? (() => new Date());
  }

  /** Starts polling (no-op when `pollMs` is 0). */
  start(): void {
    if (this.options.retry.pollMs <= 0 || this.timer || this.closed) return;
    this.timer = setInterval(() => this.wake(), this.options.retry.pollMs);
    this.timer.unref();
  }

  /** Looks for due rows now (coalesced with a round in progress). Never throws. */
  wake(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.rounds().finally(() => (this.running = undefined));
  }

  /** Resolves when no round is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  private async rounds(): Promise<void> {
    do {
      this.again = false;
      try {
        const claimed = await this.options.store.claimDue(this.now(), this.options.leaseMs ?? 60_000, this.options.batchSize ?? 20);
        await Promise.all(claimed.map((row) => this.attempt(row)));
        // A full batch: there may be more due.
        if (claimed.length === (this.options.batchSize ?? 20)) this.again = true;
      } catch (error) {
        this.options.logger.warn({ err: error, outbox: this.options.name }, "outbox round failed; next round retries");
      }
    } while (this.again && !this.closed);
  }

  private async attempt(row: Row): Promise<void> {
    const { store, retry, logger, name } = this.options;
    try {
      await this.options.send(row);
      await store.delivered(row, this.now());
      this.options.onSettled?.(row, "DELIVERED");
      return;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const last = error instanceof GiveUp || row.attempts >= retry.maxAttempts;
      try {
        if (last) await store.abandoned(row, this.now(), reason);
        else await store.retryLater(row, new Date(this.now().getTime() + backoffMs(row.attempts, retry)), reason);
      } catch (settleError) {
        // The lease runs out and another round tries again.
        logger.warn({ err: settleError, outbox: name, id: row.id }, "outbox attempt outcome not recorded");
      }
      logger.warn(
        { outbox: name, id: row.id, attempts: row.attempts, reason, gaveUp: last },
        last ? "outbox row abandoned" : "outbox attempt failed; will retry",
      );
      this.options.onSettled?.(row, last ? "ABANDONED" : "RETRY");
    }
  }
}

/**
 * An outbox's owner: what its rows mean (`send`), worked off by one {@link OutboxDispatcher}.
 * Subclasses add how rows are written (in the caller's transaction) and how one is sent; waking,
 * polling and shutting down are here, once.
 */
export abstract class OutboxWorker<Row extends { id: string; attempts: number }> {
  private readonly dispatcher: OutboxDispatcher<Row>;

  protected constructor(options: Omit<OutboxDispatcherOptions<Row>, "send">) {
    this.dispatcher = new OutboxDispatcher<Row>({ ...options, send: (row) => this.send(row) });
  }

  /** Sends one row; throws to retry later, {@link GiveUp} to stop. The message is stored: no secrets. */
  protected abstract send(row: Row): Promise<void>;

  /** Sends what is due now (call after a commit that wrote rows). Never throws. */
  wake(): void {
    this.dispatcher.wake();
  }

  /** Starts looking for due rows every `retry.pollMs`. */
  start(): void {
    this.dispatcher.start();
  }

  /** Resolves when no round is running. */
  idle(): Promise<void> {
    return this.dispatcher.idle();
  }

  close(): Promise<void> {
    return this.dispatcher.close();
  }
}
