/**
 * Helpers for the real-time suites, on top of THE harness (test/support/gateway.ts): a graphql-ws
 * client over a real WebSocket, a subscription that collects what arrives, bank events driven
 * through the mock admin endpoint, a wait for the gateway to have a subscriber in place
 * (graphql-ws does not acknowledge subscriptions, so a test must not fire an event before that),
 * and a wait for accepted events to be published (the basis of every "nothing arrived" check).
 */
import { createClient, type Client, type FormattedExecutionResult } from "graphql-ws";
import WebSocket from "ws";
import type { MockEventRequest } from "../../mocks/events/make-event.js";
import type { EmittedEvent } from "../../mocks/events/cluster-events.js";
import type { DeliveryResult } from "../../mocks/events/webhook-sender.js";
import { userTopic } from "../../src/realtime/realtime-message.js";
import { decodeGlobalId } from "../../src/schema/global-id.js";
import type { RunningGateway } from "../../src/server/app.js";
import type { TestGateway, TestUser } from "../support/gateway.js";

/** ws:// URL of a gateway's /graphql. */
export function wsUrl(gateway: RunningGateway): string {
  return `ws://127.0.0.1:${gateway.port}/graphql`;
}

/** A graphql-ws client with the token in connection_init; no retries, so a close is final. */
export function wsClient(gateway: RunningGateway, token: string | undefined, options: { connectionParams?: Record<string, unknown> } = {}): Client {
  return createClient({
    url: wsUrl(gateway),
    webSocketImpl: WebSocket,
    connectionParams: options.connectionParams ?? (token ? { authorization: `Bearer ${token}` } : {}),
    retryAttempts: 0,
    lazy: true,
    shouldRetry: () => false,
  });
}

/** One subscription's results as they arrive. */
export interface Collected<T = any> {
  results: FormattedExecutionResult<T, unknown>[];
  /** Resolves with the n-th result (1-based) or rejects after `timeoutMs`. */
  nth(n: number, timeoutMs?: number): Promise<FormattedExecutionResult<T, unknown>>;
  /** The error or close event that ended it, once ended. */
  ended: Promise<unknown>;
  dispose(): void;
}

export function collect<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Collected<T> {
  const results: FormattedExecutionResult<T, unknown>[] = [];
  const waiters: Array<() => void> = [];
  let end!: (value: unknown) => void;
  const ended = new Promise<unknown>((resolve) => (end = resolve));
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        results.push(value);
        for (const wake of waiters.splice(0)) wake();
      },
      error: (error) => end(error),
      complete: () => end("complete"),
    },
  );
  return {
    results,
    ended,
    dispose,
    nth(n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for result #${n} (have ${results.length})`)), timeoutMs);
        const check = () => {
          if (results.length >= n) {
            clearTimeout(timer);
            resolve(results[n - 1]!);
          } else waiters.push(check);
        };
        check();
      });
    },
  };
}

/** Waits until the gateway has `count` subscribers on the user's topic (bounded by `timeoutMs`). */
export async function subscribersReady(gateway: RunningGateway, userId: string, count = 1, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (gateway.services.realtime.pubsub.subscriberCount(userTopic(userId)) < count) {
    if (Date.now() > deadline) throw new Error(`no ${count} subscriber(s) for ${userId} within ${timeoutMs}ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Disposes a client and waits until the gateway has released the user's subscribers: the server
 * learns of the close asynchronously, and a lingering subscriber would satisfy the next
 * {@link subscribersReady} before the new subscription is in place.
 */
export async function closeClient(client: Client, gateway: RunningGateway, userId: string, timeoutMs = 10_000): Promise<void> {
  await client.dispose();
  const deadline = Date.now() + timeoutMs;
  while (gateway.services.realtime.pubsub.subscriberCount(userTopic(userId)) > 0) {
    if (Date.now() > deadline) throw new Error(`subscribers of ${userId} not released within ${timeoutMs}ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Points the mock banks' webhooks at a gateway, through the mock admin endpoint. */
export async function targetWebhooks(adminUrl: string, gateway: Pick<RunningGateway, "port">): Promise<void> {
  const response = await fetch(`${adminUrl}/webhook-target`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: `http://127.0.0.1:${gateway.port}/webhooks` }),
  });
  if (!response.ok) throw new Error(`webhook target: ${response.status}`);
}

/** Makes an event happen at a mock bank (admin endpoint) and returns what the bank reports. */
export async function bankEvent(adminUrl: string, bankId: string, request: MockEventRequest): Promise<{ event: EmittedEvent; delivery: DeliveryResult }> {
  const response = await fetch(`${adminUrl}/banks/${bankId}/events`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { event: EmittedEvent; delivery: DeliveryResult; error?: string };
  if (!response.ok) throw new Error(`bank event at ${bankId}: ${response.status} ${body.error}`);
  return body;
}

/** Asks the bank to deliver an event it already sent (a replay). */
export async function redeliver(adminUrl: string, bankId: string, eventId: string): Promise<DeliveryResult> {
  const response = await fetch(`${adminUrl}/banks/${bankId}/events/${eventId}/redeliver`, { method: "POST" });
  if (!response.ok) throw new Error(`redeliver: ${response.status}`);
  return ((await response.json()) as { delivery: DeliveryResult }).delivery;
}

/** Links a bank as a given bank customer, through the bank's own pages (the harness's newUser always logs in as alice). */
export async function linkAs(t: TestGateway, user: TestUser, institutionId: string, username: string): Promise<void> {
  await t.linkAs(user, institutionId, username);
}

/**
 * Waits until the gateway has published every bank event it accepted so far. The webhook intake
 * answers the bank first and publishes in the background; once this resolves, each event
 * accepted earlier is queued for every subscriber of its user, and a subscription takes its
 * messages in order. So to prove an event was NOT delivered: send it, wait for this, then send a
 * sentinel the subscriber may see, and expect the sentinel to be the next thing that arrives.
 */
export function eventsPublished(gateway: RunningGateway): Promise<void> {
  return gateway.services.webhooks.settle();
}

/** The link (internal id) an object's global ID names: tells which link an event came through. */
export function linkOf(globalId: string): string | undefined {
  return decodeGlobalId(globalId)?.parts[0];
}
