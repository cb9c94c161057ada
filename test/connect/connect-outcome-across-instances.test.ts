/**
 * Nothing about a connect session lives in one instance only: two gateways sharing PostgreSQL and
 * Redis; the app created the session and subscribed on one, the person finishes on the other, and
 * the app's subscription and query both see the outcome.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.js";
import { openPostgresTestDatabase } from "../support/databases.js";
import { APP_REDIRECT_URI, startTestGateway, type TestGateway } from "../support/gateway.js";
import { collect, wsClient } from "../realtime/realtime-support.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const CHANNEL_PREFIX = "bankgraph:realtime:";

describe("a connect session across two instances (PostgreSQL + Redis)", () => {
  let db: Database;
  let redis: Redis;
  let appSide: TestGateway;
  let personSide: TestGateway;

  /** Waits until an instance has SUBSCRIBEd the user's Redis channel (the subscription is live). */
  async function subscribedInRedis(userId: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [, n] = (await redis.pubsub("NUMSUB", `${CHANNEL_PREFIX}user:${userId}`)) as [string, number];
      if (Number(n) >= 1) return;
      if (Date.now() > deadline) throw new Error(`no instance subscribed for ${userId}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    db = await openPostgresTestDatabase();
    appSide = await startTestGateway({ db, mocks: { banks: ["chase"] }, env: { REDIS_URL } });
    personSide = await startTestGateway({ db, cluster: appSide.mocks, env: { REDIS_URL } });
  });
  afterAll(async () => {
    await personSide?.close();
    await appSide?.close();
    await db?.close();
    redis?.disconnect();
  });

  it("the person cancels on one instance; the app's subscription and query on the other see DENIED", async () => {
    const userId = `xi-${Math.random().toString(36).slice(2, 10)}`;
    const app = await appSide.token(userId);
    const created = await appSide.gql(
      `mutation($input: CreateConnectSessionInput!) { createConnectSession(input: $input) { id } }`,
      { input: { purpose: "ACCOUNT_OVERVIEW", scopes: ["accounts:read"], durationDays: 30, redirectUri: APP_REDIRECT_URI, state: "across" } },
      app,
    );
    const id = created.body.data.createConnectSession.id as string;
    const ws = wsClient(appSide.gateway, app);
    const events = collect(ws, `subscription { connectSessionFinished { id status } }`);
    await subscribedInRedis(userId);

    await personSide.gateway.services.connectSessions.open(id, userId);
    const cancelled = await personSide.gateway.services.connectSessions.cancel(id, userId);
    expect(new URL(cancelled.redirectUrl).searchParams.get("state")).toBe("across");

    expect((await events.nth(1)).data).toEqual({ connectSessionFinished: { id, status: "DENIED" } });
    expect((await appSide.gql(`query($id: ID!) { connectSession(id: $id) { status } }`, { id }, app)).body.data).toEqual({
      connectSession: { status: "DENIED" },
    });
    await ws.dispose();
  });
});
