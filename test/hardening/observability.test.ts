/**
 * Operations, from outside: the structured request log (captured from the gateway's own pino
 * logger) carries request id, operation, status and duration and never a token, a password or an
 * account number; `GET /metrics` exposes the named series with the values the traffic implies;
 * `GET /readyz` follows the store, on both store backends.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/observability/logger.js";
import type { Database } from "../../src/store/database.js";
import { storeBackends } from "../support/databases.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { sample, scrape } from "../support/prometheus-text.js";

const BANKS = ["chase", "citi"];
const DASHBOARD = `query Dashboard { accounts { id name mask balance { current { amount } } } }`;
const SECRET_PASSWORD = "Sup3r-Secret-Pa55word!";

describe("request logs and metrics", () => {
  const lines: string[] = [];
  let t: TestGateway;
  let user: TestUser;

  beforeAll(async () => {
    const logger = createLogger("trace", { write: (line: string) => void lines.push(line) });
    t = await startTestGateway({ mocks: { banks: BANKS }, logger, env: { UPSTREAM_CACHE_TTL_MS: "60000" } });
    user = await t.newUser("observed", BANKS); // each bank's OAuth pages: the password goes to the bank only
    for (const bank of BANKS) await t.grant(user, bank, ["accounts:read", "balances:read"]);
  });
  afterAll(() => t?.close());

  const logged = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  it("logs one line per request with request id, operation, status and duration", async () => {
    const response = await t.gql(DASHBOARD, {}, user.app, { "x-request-id": "req-observed-1" });
    expect(response.body.errors).toBeUndefined();
    expect(response.headers.get("x-request-id")).toBe("req-observed-1");

    const entries = logged().filter((l) => l["requestId"] === "req-observed-1");
    expect(entries).toHaveLength(1);
    const entry = entries[0]!;
    expect(entry).toMatchObject({ msg: "graphql request", operationName: "Dashboard", operationType: "query", status: 200, clientId: "messenger-test" });
    expect(typeof entry["durationMs"]).toBe("number");
    expect(entry["durationMs"] as number).toBeGreaterThan(0);
    expect(entry["errorCodes"]).toBeUndefined();
  });

  it("logs refused requests too, with their error code", async () => {
    const response = await t.gql(DASHBOARD, {}, "not.a.jwt", { "x-request-id": "req-refused-1" });
    expect(response.status).toBe(401);
    const entry = logged().find((l) => l["requestId"] === "req-refused-1");
    expect(entry).toMatchObject({ msg: "graphql request", status: 401, errorCodes: ["UNAUTHENTICATED"], operationName: null });
  });

  it("never logs a bearer token, a bank password or a full account number", async () => {
    // A client that pastes a distinctive secret into an argument, inline in the query text and in variables.
    const inline = await t.gql(
      `mutation Inline { requestConsent(input: { linkId: "${SECRET_PASSWORD}", scopes: ["accounts:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30 }) { id } }`,
      {},
      user.app,
    );
    expect(inline.body.errors?.map((e) => e.extensions?.["code"])).toEqual(["BAD_USER_INPUT"]);
    const viaVariables = await t.gql(
      `mutation Vars($input: RequestConsentInput!) { requestConsent(input: $input) { id } }`,
      { input: { linkId: SECRET_PASSWORD, scopes: ["accounts:read"], purpose: "ACCOUNT_OVERVIEW", durationDays: 30 } },
      user.app,
    );
    expect(viaVariables.body.errors?.map((e) => e.extensions?.["code"])).toEqual(["BAD_USER_INPUT"]);
    await t.gql(DASHBOARD, {}, user.app);

    const text = lines.join("");
    expect(logged().filter((l) => l["msg"] === "graphql request").length).toBeGreaterThanOrEqual(4);
    const secrets = [
      SECRET_PASSWORD,
      "pass_good",
      user.app,
      user.user,
      user.app.split(".")[2]!, // the signature alone
      ...BANKS.flatMap((b) =>
        t.mocks
          .bank(b)
          .data.accountsOf("alice")
          .map((a) => a.number),
      ),
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text.toLowerCase()).not.toContain("bearer");
  });

  it("exposes request latency, upstream latency, errors, circuit state and cache ratio at /metrics", async () => {
    const before = await scrape(t.url);
    t.resetBankCalls();
    await t.gql(DASHBOARD, {}, user.app); // warm: accounts come from the cache already
    await t.gql(DASHBOARD, {}, user.app);
    await t.gql(DASHBOARD, {}, "forged");

    const response = await fetch(new URL("/metrics", t.url));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const after = await response.text();
    const delta = (name: string, labels: Record<string, string>) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);

    expect(delta("bankgraph_graphql_request_duration_seconds_count", { operation: "Dashboard", status: "200" })).toBe(2);
    expect(delta("bankgraph_graphql_request_duration_seconds_sum", { operation: "Dashboard", status: "200" })).toBeGreaterThan(0);
    expect(delta("bankgraph_graphql_request_duration_seconds_count", { operation: "(unresolved)", status: "401" })).toBe(1);
    expect(delta("bankgraph_graphql_errors_total", { code: "UNAUTHENTICATED" })).toBe(1);
    for (const bank of BANKS) {
      // Every call the bank saw was measured, and only those.
      expect(delta("bankgraph_bank_call_duration_seconds_count", { institution: bank, outcome: "ok" })).toBe(t.mocks.bank(bank).requestLog().length);
      expect(sample(after, "bankgraph_bank_circuit_state", { institution: bank })).toBe(0);
    }
    // accounts: one miss when first read (before this test), every later read a hit.
    const hits = sample(after, "bankgraph_upstream_cache_lookups_total", { kind: "accounts", result: "hit" })!;
    const misses = sample(after, "bankgraph_upstream_cache_lookups_total", { kind: "accounts", result: "miss" })!;
    expect(misses).toBe(BANKS.length);
    expect(sample(after, "bankgraph_upstream_cache_hit_ratio", { kind: "accounts" })).toBeCloseTo(hits / (hits + misses), 10);
    expect(hits).toBeGreaterThanOrEqual(2 * BANKS.length);
    expect(sample(after, "process_cpu_user_seconds_total")).toBeGreaterThan(0);

    // Nothing about who asked: no user IDs, no tokens.
    expect(after).not.toContain(user.userId);
    expect(after).not.toContain(user.app);
  });
});

const backends = await storeBackends();

describe.each(backends)("GET /readyz on $name", (backend) => {
  let db: Database;
  let t: TestGateway;

  beforeAll(async () => {
    db = await backend.open();
    t = await startTestGateway({ db, mocks: { banks: ["chase"] } });
  });
  afterAll(() => t?.close());

  it("is 200 while the store answers and 503 once it cannot; /healthz stays 200", async () => {
    const ready = await fetch(new URL("/readyz", t.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", store: "up" });

    await db.close();
    const unready = await fetch(new URL("/readyz", t.url));
    expect(unready.status).toBe(503);
    expect(await unready.json()).toEqual({ status: "unavailable", store: "down" });
    expect((await fetch(new URL("/healthz", t.url))).status).toBe(200);
  });
});
