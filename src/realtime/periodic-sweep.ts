/**
 * A sweep on a timer: every `intervalMs` (0 = never on a timer) it runs `sweepOnce`, never two at
 * once, and a failure is logged, not thrown. The timer alone never keeps the process alive, and
 * `stop()` waits for a sweep in progress. The consent-expiry sweep and the event-log retention use it.
 */
import type { Logger } from "../observability/logger.js";

export class PeriodicSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly options: { name: string; intervalMs: number; logger: Logger; sweepOnce: () => Promise<number> }) {}

  /** Starts sweeping on the timer (no-op when the interval is 0 or it already runs). */
  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(
      () => void this.sweep().catch((error: unknown) => this.options.logger.error({ err: error }, `${this.options.name} failed`)),
      this.options.intervalMs,
    );
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One sweep now (sweeps never overlap); returns what `sweepOnce` counted. */
  sweep(): Promise<number> {
    this.running ??= this.options.sweepOnce().finally(() => (this.running = undefined));
    return this.running;
  }
}
