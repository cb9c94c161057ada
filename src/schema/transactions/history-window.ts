/**
 * The consent's history window (`historyDays`) narrows every transaction read: an app that was
 * granted 90 days of history never sees a transaction dated earlier, whatever `from` it asks.
 */
import type { GatewayContext } from "../../request/gateway-context.js";

const DAY = 86_400_000;

/** The date range to read, or null when the requested range lies wholly outside the window. */
export async function historyWindow(context: GatewayContext, linkId: string, from?: string, to?: string): Promise<{ from?: string; to?: string } | null> {
  const historyDays = (await context.consents.consentFor(linkId))?.consent.historyDays;
  if (!historyDays) return { from, to };
  const earliest = new Date(context.services.clock.now().getTime() - historyDays * DAY).toISOString().slice(0, 10);
  if (to && to < earliest) return null;
  return { from: !from || from < earliest ? earliest : from, to };
}
