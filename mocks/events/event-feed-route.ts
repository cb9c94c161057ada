/**
 * A bank's "events since" endpoint: `GET <feed.path>?<feed.sinceParam>=<n>` lists the webhook
 * deliveries the bank numbered above n, oldest first, at most 100 (ask again from the last one's
 * number until the list is empty), under `feed.listKey` — the very bodies the webhooks carried,
 * sequence number included. It is how a receiver recovers what it missed while down.
 *
 * Authenticated with the webhook secret, the same way as a delivery the other way round: the
 * bank's timestamp header (Unix seconds, within 5 minutes) and signature header
 * (hex HMAC-SHA256 of `timestamp + "." + "GET " + path-and-query`). Anything else is 401.
 */
import { timingSafeEqual } from "node:crypto";
import { Router } from "express";
import type { EventJournal } from "./event-journal.js";
import type { MockEventFormat } from "./mock-bank-event.js";
import { feedRequestText, signWebhookBody } from "./webhook-signing.js";

/** Most deliveries in one answer. */
export const FEED_PAGE_SIZE = 100;
const TOLERANCE_SECONDS = 5 * 60;

/** The route for one bank (mounted on its own server, so it is down when the bank is). */
export function eventFeedRoute(format: MockEventFormat, journal: EventJournal, secret: string): Router {
  const { feed } = format;
  const router = Router();
  router.get(feed.path, (req, res) => {
    if (!signedBySecret(secret, req.get(format.timestampHeader), req.get(format.signatureHeader), req.originalUrl)) {
      return void res.status(401).json({ error: `Sign the request with the webhook secret in ${format.signatureHeader} and ${format.timestampHeader}` });
    }
    const raw = req.query[feed.sinceParam];
    const since = typeof raw === "string" && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    if (since === undefined) return void res.status(400).json({ error: `${feed.sinceParam} must be a sequence number (0 for all)` });
    const listed = journal.since(since, FEED_PAGE_SIZE).map((entry) => JSON.parse(entry.text) as unknown);
    res.json({ [feed.listKey]: listed });
  });
  return router;
}

function signedBySecret(secret: string, timestamp: string | undefined, signature: string | undefined, target: string): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signWebhookBody(secret, timestamp, feedRequestText(target)), "hex");
  return timingSafeEqual(expected, Buffer.from(signature, "hex"));
}
