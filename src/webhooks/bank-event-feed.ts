/**
 * Asking a bank for the webhook deliveries it numbered after `since` (its "events since"
 * endpoint, `ProviderWebhooks.feed`). The request is signed with the bank's webhook secret in the
 * same headers and by the same formula as the bank signs its deliveries, over
 * `"GET " + path-and-query` in place of a body: the feed lists every customer's events, so it is
 * the bank-to-platform channel the webhook secret protects, not a customer's API.
 */
import { z } from "zod";
import type { BankEventFeedFormat, ProviderWebhooks } from "../providers/provider-module.js";
import { webhookSignature } from "./webhook-signature.js";

/** Where and how to ask one bank. */
export interface BankEventFeedRequest {
  /** The bank's API base URL. */
  baseUrl: string;
  hooks: ProviderWebhooks & { feed: BankEventFeedFormat };
  secret: string;
  /** Deliveries numbered above this are listed. */
  since: number;
  now: Date;
  timeoutMs: number;
}

/** The bank answered, but not with a list we can read, or not 200. */
export class BankEventFeedError extends Error {}

/** The listed delivery bodies, oldest first (empty when nothing is newer than `since`). */
export async function fetchEventsSince(request: BankEventFeedRequest): Promise<unknown[]> {
  const { feed, signatureHeader, timestampHeader } = request.hooks;
  const url = new URL(`${request.baseUrl.replace(/\/+$/, "")}${feed.path}`);
  url.searchParams.set(feed.sinceParam, String(request.since));
  const timestamp = String(Math.floor(request.now.getTime() / 1000));
  const response = await fetch(url, {
    headers: {
      accept: "application/json",
      [timestampHeader]: timestamp,
      [signatureHeader]: webhookSignature(request.secret, timestamp, `GET ${url.pathname}${url.search}`),
    },
    signal: AbortSignal.timeout(request.timeoutMs),
  });
  if (!response.ok) throw new BankEventFeedError(`events since ${request.since}: the bank answered ${response.status}`);
  const listed = z.object({ [feed.listKey]: z.array(z.unknown()) }).safeParse(await response.json().catch(() => null));
  if (!listed.success) throw new BankEventFeedError(`events since ${request.since}: not a list under "${feed.listKey}"`);
  return listed.data[feed.listKey]!;
}
