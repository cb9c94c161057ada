/**
 * The person's time zone on Bankgraph's pages: an IANA name this runtime knows, else UTC. Taken
 * from the identity provider's `zoneinfo` claim at sign-in, changeable on /connections.
 */

/** What pages use when the person has none (or an unknown one). */
export const DEFAULT_TIME_ZONE = "UTC";

/** Every time zone the person may choose, by name. */
export const TIME_ZONES: readonly string[] = [...new Set([DEFAULT_TIME_ZONE, ...Intl.supportedValuesOf("timeZone")])].sort();

const KNOWN = new Set(TIME_ZONES);

/** The name if it is a time zone we can render (and the store can count days in), else null. */
export function knownTimeZone(name: unknown): string | null {
  return typeof name === "string" && KNOWN.has(name) ? name : null;
}

/** Dates and times for a reader in `timeZone`, e.g. "Dec 3, 2026, 3:49 PM EST". */
export function timeFormats(timeZone: string | null) {
  const zone = knownTimeZone(timeZone) ?? DEFAULT_TIME_ZONE;
  const dateTime = new Intl.DateTimeFormat("en-US", {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZone: zone,
    timeZoneName: "short",
  });
  const date = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: zone });
  const day = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: zone });
  return {
    zone,
    /** "Dec 3, 2026, 3:49 PM EST" */
    dateTime: (at: Date) => dateTime.format(at),
    /** "December 3, 2026" */
    date: (at: Date) => date.format(at),
    /** The calendar day in the zone, YYYY-MM-DD. */
    day: (at: Date) => day.format(at),
  };
}

export type TimeFormats = ReturnType<typeof timeFormats>;
