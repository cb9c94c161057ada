/**
 * Rate limits per user and per client app, over real HTTP, on the gateway's clock: in-process
 * for one instance, and through real Redis where two gateway instances share one budget.
 * Fixed windows of RATE_LIMIT_WINDOW_SECONDS; the clocks start 10 s into a minute, so a refusal
 * says Retry-After: 50.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { ManualClock } from "../../src/clock.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { postJson, type RawResponse } from "./http-probe.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const START = "2026-06-15T12:00:10Z";
const QUERY = "{ institutions { id } }";

/** A caller nobody else uses: fresh user and app IDs, so runs never share a Redis counter. */
async function caller(t: TestGateway, client = `rl-app-${randomUUID().slice(0, 8)}`) {
  const userId = `rl-user-${randomUUID().slice(0, 8)}`;
  await t.registerApp(client);
  return { userId, client, token: await t.token(userId, { client }) };
}

const ask = (t: TestGateway, token: string): Promise<RawResponse> => postJson(t.url, { query: QUERY }, token);

function expectServed(r: RawResponse) {
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ data: { institutions: [{ id: "citi" }] } });
}

function expectLimited(r: RawResponse, limit: "USER" | "CLIENT", max: number, retryAfter: number) {
  expect(r.status).toBe(429);
  expect(r.headers.get("retry-after")).toBe(String(retryAfter));
  const who = limit === "USER" ? "this user" : "this app";
  expect(r.body).toEqual({
    errors: [
      {
        message: `Too many requests for ${who}: at most ${max} per 60 s. Retry after ${retryAfter} s.`,
        extensions: { code: "RATE_LIMITED", retryAfter, limit },
      },
    ],
  });
}

describe("in-process (one instance)", () => {
  let t: TestGateway;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(START);
    t = await startTestGateway({ clock, mocks: { banks: ["citi"] }, env: { RATE_LIMIT_PER_USER: "3", RATE_LIMIT_PER_CLIENT: "5" } });
  });
  afterAll(() => t?.close());

  it("serves a user's 3rd request in a window and refuses the 4th with 429 and Retry-After", async () => {
    const { token } = await caller(t);
    for (let i = 0; i < 3; i++) expectServed(await ask(t, token));
    expectLimited(await ask(t, token), "USER", 3, 50);
  });

  it("opens again in the next window", async () => {
    const { token } = await caller(t);
    for (let i = 0; i < 3; i++) expectServed(await ask(t, token));
    expectLimited(await ask(t, token), "USER", 3, 50);
    clock.advance(49_999);
    expectLimited(await ask(t, token), "USER", 3, 1);
    clock.advance(1);
    expectServed(await ask(t, token));
    clock.set(START);
  });

  it("counts an app's requests across its users, and one user's across apps", async () => {
    const app = `rl-app-${randomUUID().slice(0, 8)}`;
    const alice = await caller(t, app);
    const bob = await caller(t, app);
    for (let i = 0; i < 3; i++) expectServed(await ask(t, alice.token));
    expectServed(await ask(t, bob.token));
    expectServed(await ask(t, bob.token));
    // The app's 6th request: bob is within his own limit, the app is not.
    expectLimited(await ask(t, bob.token), "CLIENT", 5, 50);
    // bob through another app: his 3 are used (the refused one counted too).
    const elsewhere = `rl-other-${randomUUID().slice(0, 8)}`;
    await t.registerApp(elsewhere);
    const bobElsewhere = await t.token(bob.userId, { client: elsewhere });
    expectLimited(await ask(t, bobElsewhere), "USER", 3, 50);
  });

  it("keeps one user's limit from touching another's", async () => {
    const heavy = await caller(t);
    for (let i = 0; i < 4; i++) await ask(t, heavy.token);
    expectLimited(await ask(t, heavy.token), "USER", 3, 50);
    expectServed(await ask(t, (await caller(t)).token));
  });

  it("does not count requests that fail authentication", async () => {
    for (let i = 0; i < 5; i++) expect((await ask(t, "not-a-token")).status).toBe(401);
    expectServed(await ask(t, (await caller(t)).token));
  });
});

describe("through Redis (two instances share one budget)", () => {
  let a: TestGateway;
  let b: TestGateway;
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    const clock = new ManualClock(START);
    const env = { REDIS_URL, RATE_LIMIT_PER_USER: "4", RATE_LIMIT_PER_CLIENT: "1000" };
    a = await startTestGateway({ clock, mocks: { banks: ["citi"] }, env });
    b = await startTestGateway({ clock, cluster: a.mocks, env });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await redis?.quit();
  });

  it("refuses the 5th request of a user whichever instance it reaches", async () => {
    const { token, userId, client } = await caller(a);
    await b.registerApp(client); // each instance here has its own store; in production they share one
    expectServed(await ask(a, token));
    expectServed(await ask(b, token));
    expectServed(await ask(a, token));
    expectServed(await ask(b, token));
    expectLimited(await ask(a, token), "USER", 4, 50);
    expectLimited(await ask(b, token), "USER", 4, 50);
    // The count lives in Redis under the window's number, and expires after the window.
    const window = Math.floor(new Date(START).getTime() / 60_000);
    const key = `bankgraph:ratelimit:user:${window}:${userId}`;
    expect(await redis.get(key)).toBe("6");
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(61_000);
  });

  it("lets requests through when Redis cannot be reached (a limit must not take the gateway down)", async () => {
    const c = await startTestGateway({ cluster: a.mocks, env: { REDIS_URL: "redis://127.0.0.1:1", RATE_LIMIT_PER_USER: "1" } });
    try {
      const { token } = await caller(c);
      expectServed(await ask(c, token));
      expectServed(await ask(c, token));
    } finally {
      await c.close();
    }
  });
});

describe("configuration", () => {
  it("defaults to 1200 per user and 120000 per app per 60 s", () => {
    expect(loadConfig({}).rateLimit).toEqual({ windowSeconds: 60, perUser: 1200, perClient: 120_000 });
  });
  it("refuses a negative limit at start-up", () => {
    expect(() => loadConfig({ RATE_LIMIT_PER_USER: "-1" })).toThrow("Invalid configuration: RATE_LIMIT_PER_USER");
  });
});
