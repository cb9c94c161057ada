/**
 * Scenario 7 — gateway CPU per request against its floor (issue 15, item 4): the fixed cost
 * (`{ __typename }`), the warm dashboard (upstream cache on, store on disk: no bank calls once
 * warm), the cold dashboard (no upstream cache: every request makes the dashboard's bank calls)
 * and the floor (bench/baselines/floor.ts: the same bank calls and the same JSON, no GraphQL, no
 * store), alternated round by round at 8 connections, one user per connection, in server CPU
 * milliseconds per request. CPU per request is what other load on a shared machine disturbs
 * least; the cold/floor ratio is taken round by round, so both sides share the machine's mood.
 *
 * Beside it, the mock banks: their CPU per request in the same runs (they must burn less than the
 * gateway), and their CPU per transactions call at the largest history of the profile (100k in
 * the full run), each bank called through its adapter one call at a time.
 */
import { FLOOR, GATEWAY, GATEWAY_DEFAULT_CONFIG, type BenchContext, type TargetSpec } from "../support/bench-context.js";
import { floorRequestBody } from "../baselines/floor.js";
import { DASHBOARD_QUERY, fingerprint, isCleanGraphqlBody } from "../support/dashboard.js";
import { alternate, graphqlLoad, measure, medianOf, medianRatio, type MeasuredRun } from "../support/measure.js";
import { bankAsCustomer, mockCpuPerCall } from "../support/mock-call-cost.js";
import { ALL_INSTITUTIONS, DASHBOARD_USER, dashboardUserIds, historyScaleCustomer } from "../support/population.js";
import { check, type ScenarioResult } from "../support/report.js";
import { assertSameData, graphqlAnswer, sameJsonFingerprint } from "../support/same-data.js";
import { PROVIDER_MODULES } from "../../src/providers/registry.js";
import { round } from "../support/stats.js";

const CONNECTIONS = 8;
const DASHBOARD_PAGE = 5;
/** Targets of issue 15, item 4. */
const TYPENAME_LIMIT_MS = 0.5;
const WARM_LIMIT_MS = 2.5;
const COLD_OVER_FLOOR_LIMIT = 2;
const MOCK_CALL_LIMIT_MS = 0.5;
/** Transactions calls per bank for the mock per-call figure (after warm-up calls). */
const MOCK_CALLS = { quick: 10, full: 40 };
const MOCK_WARM_UP = 3;

const VARIANTS = {
  typename: { label: "{ __typename }", spec: GATEWAY, query: "{ __typename }" },
  warmDashboard: { label: "dashboard, warm (upstream cache on, store on disk)", spec: GATEWAY_DEFAULT_CONFIG, query: DASHBOARD_QUERY },
  coldDashboard: { label: "dashboard, cold (no upstream cache)", spec: GATEWAY, query: DASHBOARD_QUERY },
  floor: { label: "floor: the cold dashboard's bank calls and JSON, no GraphQL, no store", spec: FLOOR, query: null },
} satisfies Record<string, { label: string; spec: TargetSpec; query: string | null }>;

type Variant = keyof typeof VARIANTS;

/** What this scenario runs against. */
export const CPU_TARGETS: readonly TargetSpec[] = [GATEWAY, GATEWAY_DEFAULT_CONFIG, FLOOR];

export async function cpuPerRequest(context: BenchContext): Promise<ScenarioResult> {
  const { profile } = context;
  const { seconds } = profile.throughput;
  const users = dashboardUserIds(CONNECTIONS, profile.dashboardUsers);
  const floorBody = floorRequestBody(DASHBOARD_USER.customer, ALL_INSTITUTIONS, DASHBOARD_PAGE);

  // The floor must answer what the gateway answers, or it is a floor of something else.
  const [gateway, floor] = await Promise.all([context.target(GATEWAY), context.target(FLOOR)]);
  const answer = await graphqlAnswer(context, gateway.url, DASHBOARD_QUERY, DASHBOARD_USER.userId);
  const sameData = assertSameData({ gateway: fingerprint(answer.data.accounts), floor: await sameJsonFingerprint(floor.url, floorBody, answer) });

  // "Warm" means each user's dashboard is in the upstream cache before anything is measured, whatever the warm-up time.
  const warm = await context.target(GATEWAY_DEFAULT_CONFIG);
  await Promise.all(users.map((userId) => graphqlAnswer(context, warm.url, DASHBOARD_QUERY, userId)));

  const names = Object.keys(VARIANTS) as Variant[];
  const variants = Object.fromEntries(
    names.map((n) => [
      n,
      async () => {
        const { spec, query } = VARIANTS[n];
        const target = await context.target(spec);
        const load = query === null ? { url: target.url, body: floorBody, verify: isCleanGraphqlBody } : await graphqlLoad(context, target.url, query, users);
        return measure(context, target, `cpu: ${n}`, { ...load, connections: CONNECTIONS, duration: seconds }, { warmupSeconds: profile.warmupSeconds });
      },
    ]),
  ) as Record<Variant, () => Promise<MeasuredRun>>;
  const runs = await alternate(profile.rounds, variants);
  const cpu = (n: Variant) => medianOf(runs[n], (r) => r.targetCpuMsPerRequest);
  const coldOverFloor = medianRatio(runs.coldDashboard, runs.floor, (r) => r.targetCpuMsPerRequest);
  /** Per gateway variant with bank calls: mock CPU over gateway CPU, median of the rounds. */
  const gatewayVariants = names.filter((n) => n !== "floor");
  const mockOverGateway = Object.fromEntries(
    gatewayVariants.map((n) => [
      n,
      round(
        medianOf(runs[n], (r) => r.mockCpuMsPerRequest / Math.max(r.targetCpuMsPerRequest, 0.01)),
        3,
      ),
    ]),
  ) as Record<Variant, number>;

  const history = Math.max(...profile.scale.history);
  const perBankCall = await mockCpuPerTransactionsCall(context, history, MOCK_CALLS[profile.mode]);
  const slowestBank = Object.entries(perBankCall).reduce((a, b) => (b[1].transactions > a[1].transactions ? b : a));

  return {
    id: "7",
    title: `Gateway CPU per request beside its floor, ${CONNECTIONS} connections`,
    tables: [
      {
        columns: ["request", "server CPU ms/req", "× floor (same bank calls)", "mock banks CPU ms/req", "bank calls/req", "req/s", "p50 ms"],
        rows: names.map((n) => [
          VARIANTS[n].label,
          cpu(n),
          n === "coldDashboard" || n === "floor" ? medianRatio(runs[n], runs.floor, (r) => r.targetCpuMsPerRequest) : "–",
          medianOf(runs[n], (r) => r.mockCpuMsPerRequest),
          medianOf(runs[n], (r) => r.bankCallsPerRequest),
          medianOf(runs[n], (r) => r.load.rps),
          medianOf(runs[n], (r) => r.load.latency.p50),
        ]),
      },
      {
        columns: [
          `mock bank (${history} transactions)`,
          "CPU ms per transactions call (first page of 5)",
          "CPU ms per accounts call (no history: the fixed cost)",
        ],
        rows: Object.entries(perBankCall).map(([bank, ms]) => [bank, round(ms.transactions, 3), round(ms.accounts, 3)]),
      },
    ],
    targets: [
      check("{ __typename } server CPU ms/req", cpu("typename"), "<=", TYPENAME_LIMIT_MS),
      check("warm dashboard server CPU ms/req", cpu("warmDashboard"), "<=", WARM_LIMIT_MS),
      check("cold dashboard CPU / floor CPU (median of rounds)", coldOverFloor, "<=", COLD_OVER_FLOOR_LIMIT),
      check(
        `mock CPU ms per transactions call at ${history} transactions (slowest bank: ${slowestBank[0]})`,
        round(slowestBank[1].transactions, 3),
        "<=",
        MOCK_CALL_LIMIT_MS,
      ),
      ...gatewayVariants.map((n) => check(`mock CPU / gateway CPU, ${VARIANTS[n].label} (below 1: mocks burn less)`, mockOverGateway[n], "<=", 1)),
    ],
    metrics: {
      connections: CONNECTIONS,
      sameData,
      serverCpuMsPerRequest: Object.fromEntries(names.map((n) => [n, cpu(n)])),
      coldOverFloor,
      mockOverGateway,
      mockCpuMsPerTransactionsCall: { history, byBank: perBankCall },
      runs,
    },
    notes: [
      `medians of ${profile.rounds} alternating round(s) of ${seconds} s each; ratios are medians of each round's ratio`,
      "the floor authenticates nobody, reads no links or consents and writes no access log; it runs the adapters and their zod schemas as the gateway does",
      "mock CPU per call is after warm-up calls, one call at a time; on a busy machine its fixed cost (the accounts column) alone can exceed 0.5 ms",
    ],
  };
}

/**
 * Mock CPU per call of each bank, at the history-scale customer holding `history` transactions:
 * a transactions call (first page of 5) and, beside it, an accounts call — which reads no
 * history, so it is the mock's fixed cost of one HTTP exchange.
 */
async function mockCpuPerTransactionsCall(
  context: BenchContext,
  history: number,
  calls: number,
): Promise<Record<string, { transactions: number; accounts: number }>> {
  const mockCpuMs = async () => (await context.mocks.usage()).cpuMs;
  const result: Record<string, { transactions: number; accounts: number }> = {};
  for (const module of PROVIDER_MODULES) {
    const { provider, session, accountId } = await bankAsCustomer(module, context.mocks.urls[module.id]!, historyScaleCustomer(history));
    result[module.id] = {
      transactions: await mockCpuPerCall(mockCpuMs, () => provider.listTransactions(session, [{ accountId, limit: DASHBOARD_PAGE }]), calls, MOCK_WARM_UP),
      accounts: await mockCpuPerCall(mockCpuMs, () => provider.listAccounts(session), calls, MOCK_WARM_UP),
    };
  }
  return result;
}
