/**
 * The mock banks' clock. Each bank's world stands at one moment when it starts (its history ends
 * there: nothing is authorized, posted, issued or scanned later) and then moves on with real
 * time, so events made afterwards are dated after everything already in the history.
 */

const DAY = 86_400_000;

/** A clock that reads `startsAt` when created and advances with the real clock from then on. */
export class MockClock {
  /** The reading at creation: where the generated history ends. */
  readonly startsAt: Date;
  private readonly realStart = Date.now();

  constructor(startsAt: Date) {
    this.startsAt = new Date(startsAt.getTime());
  }

  now(): Date {
    return new Date(this.startsAt.getTime() + (Date.now() - this.realStart));
  }
}

/**
 * The clock's first reading for a bank whose "today" is `anchor` (the start of a UTC day):
 * `now` when given, the real time when the anchor is today's default, and otherwise the last
 * millisecond of the anchor's day, so a fixed test anchor keeps its whole last day of history.
 */
export function startingReading(anchor: Date, options: { now?: Date; anchorGiven: boolean }): Date {
  if (options.now) return options.now;
  return options.anchorGiven ? new Date(anchor.getTime() + DAY - 1) : new Date();
}

/** The start of the UTC day that `at` falls in. */
export function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}
