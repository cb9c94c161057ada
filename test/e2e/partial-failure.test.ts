/**
 * One bank failing never fails the query: for each fault the mock banks can inject, at each of
 * the six banks, the dashboard still answers HTTP 200 with the five other banks' data beside
 * exactly one typed error carrying the failed bank's institutionId — no stack trace, no raw bank
 * body — and the gateway keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Faults } from "../../mocks/faults.js";
import { BANK_IDS, DASHBOARD_QUERY, linkedUser, PATIENT_ENV, UNCACHED_ENV, type DashboardAccount } from "../support/dashboard.js";
import { startTestGateway, type GraphQLResponse, type TestGateway, type TestUser } from "../support/gateway.js";

/** Short enough that a hanging bank costs seconds, long enough for the warmed-up healthy mocks on a loaded machine. */
const BANK_TIMEOUT_MS = 3000;
const RETRY_AFTER_SECONDS = 17;

interface FaultCase {
  fault: string;
  faults: Partial<Faults>;
  code: string;
  message: (bankName: string) => string;
  extra?: Record<string, unknown>;
}

const FAULTS: FaultCase[] = [
  { fault: "down (connection refused)", faults: { down: true }, code: "INSTITUTION_DOWN", message: (n) => `${n} is unreachable` },
  { fault: "hang (past the bank timeout)", faults: { hang: true }, code: "INSTITUTION_TIMEOUT", message: (n) => `${n} did not answer in time` },
  {
    fault: "429 with Retry-After",
    faults: { rateLimitRetryAfter: RETRY_AFTER_SECONDS },
    code: "RATE_LIMITED",
    message: (n) => `${n} is rate limiting requests`,
    extra: { retryAfter: RETRY_AFTER_SECONDS },
  },
  { fault: "malformed body", faults: { malformed: true }, code: "INSTITUTION_ERROR", message: (n) => `${n} sent an answer the gateway could not read` },
  { fault: "503", faults: { errorRate: 1 }, code: "INSTITUTION_ERROR", message: (n) => `${n} reported an error` },
];

/** What must never reach a client: the mocks' raw error bodies, internals, stack frames. */
const LEAKS = ["service_unavailable", "too_many_requests", "<html>", "stack", "    at ", "ProviderError", "127.0.0.1", "http://"];

let t: TestGateway;
let user: TestUser;
let names: Record<string, string>;

beforeAll(async () => {
  // No upstream cache: a bank's answer from the previous test must not hide this test's fault.
  t = await startTestGateway({ env: { ...UNCACHED_ENV, BANK_TIMEOUT_MS: String(BANK_TIMEOUT_MS) } });
  user = await linkedUser(t, "faults");
  // Warm-up under a patient timeout: the mocks generate each account's history on first read.
  const warm = await startTestGateway({ cluster: t.mocks, env: PATIENT_ENV });
  try {
    expect((await warm.gql(DASHBOARD_QUERY, {}, (await linkedUser(warm, "warm-up")).app)).body.errors).toBeUndefined();
  } finally {
    await warm.close();
  }
  const institutions = await t.gql<{ institutions: Array<{ id: string; name: string }> }>(`{ institutions { id name } }`, {}, user.app);
  names = Object.fromEntries(institutions.body.data!.institutions.map((i) => [i.id, i.name]));
});
afterAll(() => t?.close());

async function dashboard(): Promise<GraphQLResponse<{ accounts: Array<DashboardAccount | null> }>> {
  return t.gql(DASHBOARD_QUERY, {}, user.app);
}

/** Alice's accounts at every bank but `failed`, as the mocks hold them: [institution, name, mask]. */
function aliceAccounts(failed?: string): string[][] {
  return BANK_IDS.filter((b) => b !== failed)
    .flatMap((b) =>
      t.mocks
        .bank(b)
        .data.accountsOf("alice")
        .map((a) => [b, a.name, a.number.slice(-4)]),
    )
    .sort();
}

function expectHealthyDashboard(response: GraphQLResponse<{ accounts: Array<DashboardAccount | null> }>): void {
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  const accounts = response.body.data!.accounts;
  expect(accounts.every((a) => a !== null && a.balance !== null && a.transactions !== null)).toBe(true);
  expect(accounts.map((a) => [a!.institution.id, a!.name, a!.mask]).sort()).toEqual(aliceAccounts());
}

describe.each(FAULTS)("a bank that is $fault", ({ faults, code, message, extra }) => {
  it.each(BANK_IDS)("%s: the other five banks answer beside one error", async (bank) => {
    await t.mocks.bank(bank).setFaults(faults);
    let response;
    try {
      response = await dashboard();
    } finally {
      await t.mocks.bank(bank).resetFaults();
    }

    expect(response.status).toBe(200);
    const accounts = response.body.data!.accounts;
    const failedAt = accounts.indexOf(null);
    expect(failedAt).toBeGreaterThanOrEqual(0);
    expect(accounts.filter((a) => a === null)).toHaveLength(1);
    expect(response.body.errors).toEqual([
      {
        message: message(names[bank]!),
        locations: [{ line: 3, column: 5 }],
        path: ["accounts", failedAt],
        extensions: { code, institutionId: bank, ...extra },
      },
    ]);

    const others = accounts.filter((a): a is DashboardAccount => a !== null);
    expect(others.map((a) => [a.institution.id, a.name, a.mask]).sort()).toEqual(aliceAccounts(bank));
    for (const account of others) {
      expect(account.balance).not.toBeNull();
      expect(account.transactions!.nodes.length).toBeGreaterThan(0);
    }

    const text = JSON.stringify(response.body);
    for (const leak of LEAKS) expect(text).not.toContain(leak);
    expect(text).not.toContain(t.mocks.urls[bank]!);

    // The gateway keeps serving: health check, and the full dashboard once the bank recovers.
    expect((await fetch(new URL("/healthz", t.url))).status).toBe(200);
    expectHealthyDashboard(await dashboard());
  });
});
