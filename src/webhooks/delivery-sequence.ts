/**
 * Reading a bank's delivery number from a delivery body, wherever the bank puts it (its
 * `feed.sequencePath`). A body without one (a bank that does not number, or an older format) has
 * none, and gap detection simply does not apply to it.
 */
import type { BankEventFeedFormat } from "../providers/provider-module.js";

/** The delivery's sequence number: a positive safe integer, or undefined when absent or malformed. */
export function deliverySequence(feed: BankEventFeedFormat | undefined, body: unknown): number | undefined {
  if (!feed) return undefined;
  let node: unknown = body;
  for (const key of feed.sequencePath) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === "number" && Number.isSafeInteger(node) && node > 0 ? node : undefined;
}
