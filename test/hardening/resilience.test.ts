/**
 * Resilience per bank, observed from outside: GraphQL over HTTP against the mock banks' fault
 * injection, the banks' own request logs (what really reached them) and `GET /metrics`.
 * Each describe runs its own gateway, because breaker and bulkhead state is per instance.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS } from "../../src/clock.js";
import { bankCallbackUri } from "../../src/links/bank-authorization.js";
import { personAtBank, startTestGateway, type GraphQLResponse, type TestGateway, type TestUser } from "../support/gateway.js";
import { sample, scrape } from "../support/prometheus-text.js";

const accountsAt = (bank: string) => `query AccountsAt { accounts(institutionIds: ["${bank}"]) { id } }`;
const BALANCES_AT = (bank: string) => `query BalancesAt { accounts(institutionIds: ["${bank}"]) { id balance { current { amount } } } }`;

const codes = (response: GraphQLResponse) => response.body.errors?.map((e) => e.extensions?.["code"]);

async function consentingUser(t: TestGateway, prefix: string, banks: string[]): Promise<TestUser> {
  const user = await t.newUser(prefix, banks);
  for (const bank of banks) await t.grant(user, bank, ["accounts:read", "balances:read"]);
  return user;
}

/** Polls until `ready()` holds; the bound only stops a broken test from hanging. */
async function until(ready: () => boolean | Promise<boolean>, what: string, boundMs = 10_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

async function statusOf(t: TestGateway, user: TestUser, bank: string): Promise<string | undefined> {
  const response = await t.gql<{ institutions: Array<{ id: string; status: string }> }>(`{ institutions { id status } }`, {}, user.app);
  return response.body.data?.institutions.find((i) => i.id === bank)?.status;
}

/** Metric deltas around `action`. */
async function metricsAround(t: TestGateway, action: () => Promise<void>) {
  const before = await scrape(t.url);
  await action();
  const after = await scrape(t.url);
  return (name: string, labels: Record<string, string>) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
}

describe("retry of idempotent reads", () => {
  let t: TestGateway;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestGateway({
      mocks: { banks: ["chase", "citi"] },
      env: { BANK_RETRY_BASE_DELAY_MS: "10", BANK_RETRY_MAX_DELAY_MS: "50", UPSTREAM_CACHE_TTL_MS: "600000" },
    });
    user = await consentingUser(t, "retry", ["chase", "citi"]);
  });
  afterAll(() => t?.close());

  it("retries a GET after a 503: the query succeeds, the bank saw two calls, /metrics counts the retry", async () => {
    t.resetBankCalls();
    await t.mocks.bank("chase").setFaults({ failNext: 1 });
    let response!: GraphQLResponse;
    const delta = await metricsAround(t, async () => {
      response = await t.gql(accountsAt("chase"), {}, user.app);
    });

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.accounts).toHaveLength(t.mocks.bank("chase").data.accountsOf("alice").length);
    const log = t.mocks.bank("chase").requestLog();
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${log[0]!.path}`, `GET ${log[0]!.path}`]);
    expect(log.map((r) => r.kind)).toEqual([null, "accounts"]); // the first never reached a route: the fault answered 503
    expect(delta("bankgraph_bank_call_retries_total", { institution: "chase", failure: "UPSTREAM_ERROR" })).toBe(1);
    expect(delta("bankgraph_bank_call_duration_seconds_count", { institution: "chase", outcome: "UPSTREAM_ERROR" })).toBe(1);
    expect(delta("bankgraph_bank_call_duration_seconds_count", { institution: "chase", outcome: "ok" })).toBe(1);
  });

  it("retries a bank's read-only POST search (Citi's balance query) the same way", async () => {
    expect((await t.gql(accountsAt("citi"), {}, user.app)).body.errors).toBeUndefined(); // accounts now cached
    t.resetBankCalls();
    await t.mocks.bank("citi").setFaults({ failNext: 1 });
    const response = await t.gql(BALANCES_AT("citi"), {}, user.app);

    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.accounts.every((a: { balance: unknown }) => a.balance !== null)).toBe(true);
    expect(
      t.mocks
        .bank("citi")
        .requestLog()
        .map((r) => `${r.method} ${r.kind}`),
    ).toEqual(["POST null", "POST balances"]);
  });

  it("never retries the code exchange: a 503 from the bank's token endpoint fails once, the bank saw one call, nothing is linked", async () => {
    const userId = `no-retry-${Date.now()}`;
    const authorization = t.gateway.services.bankAuthorization;
    const redirectUri = bankCallbackUri(new URL(t.url).origin, "chase");
    const started = await authorization.begin({
      userId,
      institutionId: "chase",
      scopes: ["accounts:read"],
      expiresAt: new Date(t.clock.now().getTime() + 30 * DAY_MS),
      redirectUri,
    });
    const back = await personAtBank()(started.authorizationUrl, redirectUri);
    t.resetBankCalls();
    await t.mocks.bank("chase").setFaults({ failNext: 1 });
    const failed = await authorization.complete(userId, back.searchParams).catch((e: unknown) => e);
    expect(failed).toMatchObject({ extensions: { code: "INSTITUTION_DOWN", institutionId: "chase" } });
    expect(
      t.mocks
        .bank("chase")
        .requestLog()
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual(["POST /oauth/token"]);
    // Nothing was linked; a new authorization goes through.
    expect(await t.gateway.services.links.listForUser(userId)).toEqual([]);
    expect(await t.linkAtBank(userId, "chase")).toMatchObject({ status: "LINKED" });
  });

  it("waits out a short Retry-After (1 s) before the retry, and then succeeds", async () => {
    const fresh = await consentingUser(t, "retry-after", ["citi"]); // nothing cached for this link
    t.resetBankCalls();
    const bank = t.mocks.bank("citi");
    await bank.setFaults({ rateLimitRetryAfter: 1 });
    let response!: GraphQLResponse;
    const delta = await metricsAround(t, async () => {
      const pending = t.gql(accountsAt("citi"), {}, fresh.app);
      await until(() => bank.requestLog().length === 1, "the first (rate-limited) call");
      await bank.resetFaults();
      response = await pending;
    });

    expect(response.body.errors).toBeUndefined();
    const log = bank.requestLog();
    expect(log.map((r) => r.kind)).toEqual([null, "accounts"]);
    expect(log[1]!.startedAt - log[0]!.startedAt).toBeGreaterThanOrEqual(1000);
    expect(delta("bankgraph_bank_call_retries_total", { institution: "citi", failure: "RATE_LIMITED" })).toBe(1);
  });

  it("surfaces a long Retry-After at once as RATE_LIMITED with retryAfter, without calling again", async () => {
    const fresh = await consentingUser(t, "rate-limited", ["chase"]);
    t.resetBankCalls();
    await t.mocks.bank("chase").setFaults({ rateLimitRetryAfter: 30 });
    let response: GraphQLResponse;
    try {
      response = await t.gql(accountsAt("chase"), {}, fresh.app);
    } finally {
      await t.mocks.bank("chase").resetFaults();
    }
    expect(response.body.errors?.map((e) => e.extensions)).toEqual([{ code: "RATE_LIMITED", institutionId: "chase", retryAfter: 30 }]);
    expect(t.mocks.bank("chase").requestLog()).toHaveLength(1);
  });
});

describe("circuit breaker per institution", () => {
  const HALF_OPEN_AFTER_MS = 800;
  let t: TestGateway;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestGateway({
      mocks: { banks: ["chase", "wells_fargo"] },
      env: { BANK_BREAKER_FAILURES: "3", BANK_BREAKER_HALF_OPEN_AFTER_MS: String(HALF_OPEN_AFTER_MS), BANK_RETRIES: "0" },
    });
    user = await consentingUser(t, "breaker", ["chase", "wells_fargo"]);
  });
  afterAll(() => t?.close());

  const chaseCalls = () => t.mocks.bank("chase").requestLog().length;
  const circuitGauge = async () => sample(await scrape(t.url), "bankgraph_bank_circuit_state", { institution: "chase" });

  it("opens after 3 failures in a row, fails fast without calling the bank, probes after the delay and recovers", async () => {
    expect(await circuitGauge()).toBe(0);
    t.resetBankCalls();
    await t.mocks.bank("chase").setFaults({ errorRate: 1 });

    for (let i = 1; i <= 3; i++) {
      expect(codes(await t.gql(accountsAt("chase"), {}, user.app))).toEqual(["INSTITUTION_ERROR"]);
      expect(chaseCalls()).toBe(i);
    }
    expect(await statusOf(t, user, "chase")).toBe("DOWN");
    expect(await circuitGauge()).toBe(2);

    // Open: INSTITUTION_DOWN at once, and the bank is not called at all.
    const delta = await metricsAround(t, async () => {
      for (let i = 0; i < 4; i++) {
        const response = await t.gql(accountsAt("chase"), {}, user.app);
        expect(response.body.errors?.map((e) => e.extensions)).toEqual([{ code: "INSTITUTION_DOWN", institutionId: "chase" }]);
      }
    });
    expect(chaseCalls()).toBe(3);
    expect(delta("bankgraph_bank_calls_rejected_total", { institution: "chase", reason: "circuit-open" })).toBe(4);
    // The other bank is not affected.
    expect((await t.gql(accountsAt("wells_fargo"), {}, user.app)).body.errors).toBeUndefined();
    expect(await statusOf(t, user, "wells_fargo")).toBe("UP");

    // After the delay exactly one probe goes through; it fails, so the circuit opens again.
    await sleep(HALF_OPEN_AFTER_MS + 100);
    expect(codes(await t.gql(accountsAt("chase"), {}, user.app))).toEqual(["INSTITUTION_ERROR"]);
    expect(chaseCalls()).toBe(4);
    expect(codes(await t.gql(accountsAt("chase"), {}, user.app))).toEqual(["INSTITUTION_DOWN"]);
    expect(chaseCalls()).toBe(4);

    // The bank recovers (slowly, so the probe can be watched): half-open shows as DEGRADED.
    await t.mocks.bank("chase").setFaults({ errorRate: 0, latencyMs: 500 });
    await sleep(HALF_OPEN_AFTER_MS + 100);
    const probe = t.gql(accountsAt("chase"), {}, user.app);
    await until(() => chaseCalls() === 5, "the probe call");
    expect(await statusOf(t, user, "chase")).toBe("DEGRADED");
    expect(await circuitGauge()).toBe(1);
    expect((await probe).body.errors).toBeUndefined();
    await t.mocks.bank("chase").resetFaults();

    // Closed again: calls go through; DEGRADED while recent failures are in the window.
    expect(await circuitGauge()).toBe(0);
    expect((await t.gql(accountsAt("chase"), {}, user.app)).body.errors).toBeUndefined();
    expect(chaseCalls()).toBe(6);
    expect(await statusOf(t, user, "chase")).toBe("DEGRADED");
  });

  it("does not count a person's Cancel at the bank against the bank", async () => {
    const userId = `cancelled-${Date.now()}`;
    for (let i = 0; i < 4; i++) {
      expect(await t.linkAtBank(userId, "wells_fargo", { cancelAt: "login" })).toMatchObject({ status: "DENIED", error: "access_denied" });
    }
    expect(await circuitGauge()).toBe(0);
    expect(sample(await scrape(t.url), "bankgraph_bank_circuit_state", { institution: "wells_fargo" })).toBe(0);
    expect(await statusOf(t, user, "wells_fargo")).toBe("UP");
  });
});

describe("bulkhead per institution", () => {
  const CONCURRENCY = 2;
  const QUEUE = 1;
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway({
      mocks: { banks: ["chase", "wells_fargo"] },
      env: {
        BANK_BULKHEAD_CONCURRENCY: String(CONCURRENCY),
        BANK_BULKHEAD_QUEUE: String(QUEUE),
        BANK_TIMEOUT_MS: "1500",
        BANK_BREAKER_FAILURES: "100",
      },
    });
  });
  afterAll(() => t?.close());

  it("a hanging bank holds at most its slots; the rest fail fast, and another bank answers meanwhile", async () => {
    // Five users, five distinct chase links (distinct calls: nothing to coalesce).
    // One after the other: five logins at once would themselves overflow a bulkhead of 2 + 1.
    const chaseUsers: TestUser[] = [];
    for (let i = 1; i <= 5; i++) chaseUsers.push(await consentingUser(t, `hang-${i}`, ["chase"]));
    const other = await consentingUser(t, "other-bank", ["wells_fargo"]);
    t.resetBankCalls();
    await t.mocks.bank("chase").setFaults({ hang: true });

    const settled: Array<GraphQLResponse | undefined> = chaseUsers.map(() => undefined);
    const hanging = chaseUsers.map((u, i) => t.gql(accountsAt("chase"), {}, u.app).then((r) => (settled[i] = r)));
    // Two calls reach the bank, one waits in the queue, two are refused at once.
    await until(() => t.mocks.bank("chase").requestLog().length === CONCURRENCY, "the bank to hold its slots");
    await until(() => settled.filter(Boolean).length === chaseUsers.length - CONCURRENCY - QUEUE, "the refused calls");
    for (const refused of settled.filter((r): r is GraphQLResponse => r !== undefined)) {
      expect(refused.body.errors?.map((e) => e.extensions)).toEqual([{ code: "INSTITUTION_TIMEOUT", institutionId: "chase" }]);
    }

    // Wells Fargo answers while all three admitted chase calls are still waiting.
    const answer = await t.gql(accountsAt("wells_fargo"), {}, other.app);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.accounts.length).toBeGreaterThan(0);
    expect(settled.filter(Boolean)).toHaveLength(chaseUsers.length - CONCURRENCY - QUEUE);

    const metrics = await scrape(t.url);
    expect(sample(metrics, "bankgraph_bank_calls_rejected_total", { institution: "chase", reason: "bulkhead-full" })).toBe(2);
    expect(sample(metrics, "bankgraph_bank_calls_rejected_total", { institution: "wells_fargo", reason: "bulkhead-full" })).toBeUndefined();

    await Promise.all(hanging);
    await t.mocks.bank("chase").resetFaults();
    expect(settled.map((r) => codes(r!)).flat()).toEqual(Array(5).fill("INSTITUTION_TIMEOUT"));
    // The queued call went out when a slot freed: the bank saw three calls, never more than two at once.
    const log = t.mocks.bank("chase").requestLog();
    expect(log).toHaveLength(CONCURRENCY + QUEUE);
    const maxOpen = Math.max(...log.map((r) => log.filter((o) => o.startedAt <= r.startedAt && (o.endedAt ?? Infinity) > r.startedAt).length));
    expect(maxOpen).toBe(CONCURRENCY);
  });
});
