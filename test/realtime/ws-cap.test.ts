/**
 * Per-person WebSocket cap shared across instances through Redis, and subscriptions per socket
 * (issue 14, item 7): two gateways share one Redis; a person may hold 2 sockets in all, the third
 * (on either instance) is closed with 4429 and a reason naming the limit; closing one frees a slot;
 * another person is unaffected. One socket carries at most 2 subscriptions.
 */
import { randomUUID } from "node:crypto";
import { createClient, type Client } from "graphql-ws";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { startTestGateway, TEST_ANCHOR, type TestGateway } from "../support/gateway.js";
import { collect } from "./realtime-support.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

let cluster: MockCluster;
let a: TestGateway;
let b: TestGateway;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  cluster = await startMockCluster({ anchor: TEST_ANCHOR, banks: ["chase"] });
  const env = { REDIS_URL, WS_MAX_CONNECTIONS_PER_PERSON: "2", WS_MAX_SUBSCRIPTIONS_PER_SOCKET: "2" };
  a = await startTestGateway({ cluster, env });
  b = await startTestGateway({ cluster, env });
}, 120_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await cluster?.close();
  redis?.disconnect();
});

/** Connects and resolves with the client once acknowledged, or with the close event if the server closes first. */
async function connect(t: TestGateway, token: string): Promise<{ client: Client; outcome: "connected" | { code: number; reason: string } }> {
  const client = createClient({
    url: `ws://127.0.0.1:${t.gateway.port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
  });
  const outcome = await new Promise<"connected" | { code: number; reason: string }>((resolve) => {
    client.on("connected", () => resolve("connected"));
    client.on("closed", (event) => resolve({ code: (event as { code: number }).code, reason: (event as { reason: string }).reason }));
  });
  return { client, outcome };
}

async function claims(userId: string): Promise<number> {
  return redis.zcard(`bankgraph:ws:${userId}`);
}

describe("WebSocket cap per person, across two instances", () => {
  it("the third socket of a person, on either instance, closes with 4429; closing one frees a slot; others are unaffected", async () => {
    const userId = `cap-${randomUUID().slice(0, 8)}`;
    const token = await a.token(userId);
    const first = await connect(a, token);
    const second = await connect(b, token);
    expect([first.outcome, second.outcome]).toEqual(["connected", "connected"]);

    const third = await connect(a, token);
    expect(third.outcome).toEqual({ code: 4429, reason: "Too many open connections for this person (limit 2)" });
    const fourth = await connect(b, token);
    expect(fourth.outcome).toMatchObject({ code: 4429 });

    // Someone else still connects.
    const other = await connect(b, await b.token(`cap-other-${randomUUID().slice(0, 8)}`));
    expect(other.outcome).toBe("connected");

    // Closing one socket frees its slot (once the instance has seen the close).
    await first.client.dispose();
    while ((await claims(userId)) > 1) await new Promise((resolve) => setTimeout(resolve, 10));
    const again = await connect(b, token);
    expect(again.outcome).toBe("connected");
    for (const c of [second, third, fourth, other, again]) await c.client.dispose();
  });

  it("a socket carries at most 2 subscriptions; a third is refused with BAD_REQUEST", async () => {
    const userId = `subs-${randomUUID().slice(0, 8)}`;
    const { client } = await connect(a, await a.token(userId));
    const one = collect(client, "subscription A { balanceUpdated { accountId } }");
    const two = collect(client, "subscription B { fraudAlert { id } }");
    const three = collect(client, "subscription C { transactionPosted { id } }");
    expect(await three.ended).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/limit 2/),
        extensions: expect.objectContaining({ code: "BAD_REQUEST", limit: "SUBSCRIPTIONS_PER_SOCKET" }),
      }),
    ]);
    expect(one.results).toHaveLength(0);
    expect(two.results).toHaveLength(0);
    await client.dispose();
  });
});
