/**
 * Scenario 4 — scale. Dashboard latency for a user with 1, 10, 100 and 1000 accounts at one bank,
 * and the first transactions page of an account with 1k, 10k and 100k transactions of history.
 * Each point beside the direct baseline on the same data, because the mock bank's own work grows
 * with its data too: what must stay flat is what the gateway adds on top — measured as the CPU
 * time of the gateway process per request — and the page must cost one bank call however long
 * the history.
 */
import { directRequestBody } from "../baselines/direct-fanout.js";
import type { BenchContext, Target } from "../support/bench-context.js";
import { DASHBOARD_QUERY, FIRST_PAGE_QUERY, graphqlBody, postJson } from "../support/dashboard.js";
import { graphqlLoad, measure } from "../support/measure.js";
import { SCALE_INSTITUTION, accountScaleUser, historyScaleUser, type BenchUser } from "../support/population.js";
import { check, type ScenarioResult } from "../support/report.js";
import { assertSameData, directFingerprint, graphqlFingerprint } from "../support/same-data.js";
import { ratio, round } from "../support/stats.js";

/** Requests here wait seconds on a big mock bank: sample the gateway's idle CPU well before subtracting it. */
const IDLE_SAMPLE_MS = 1000;
/** The first page stays flat when the gateway's CPU per page grows less than this from the shortest history to the longest. */
const FLAT_LIMIT = 1.5;

interface Point {
  size: number;
  bankgraphP50: number;
  directP50: number;
  ratio: number;
  /** CPU the gateway process spent per request: what it adds, whatever the mock bank costs. */
  gatewayCpuMs: number;
}

export async function scale(context: BenchContext): Promise<ScenarioResult> {
  const [gateway, direct] = await Promise.all([context.target("gateway"), context.target("direct")]);
  const point = (user: BenchUser, size: number, query: string, first: number, balances: boolean) => measurePoint(context, gateway, direct, user, size, query, first, balances);

  const accounts: Point[] = [];
  for (const n of context.profile.scale.accounts) accounts.push(await point(accountScaleUser(n), n, DASHBOARD_QUERY, 5, true));
  const history: Array<Point & { bankCalls: number }> = [];
  for (const n of context.profile.scale.history) {
    const measured = await point(historyScaleUser(n), n, FIRST_PAGE_QUERY, 20, false);
    history.push({ ...measured, bankCalls: await firstPageBankCalls(context, gateway, historyScaleUser(n)) });
  }

  const shortest = history[0]!;
  const longest = history[history.length - 1]!;
  const cpuGrowth = ratio(longest.gatewayCpuMs, shortest.gatewayCpuMs);
  return {
    id: "4",
    title: `Scale: dashboard by account count, first transactions page by history length (${SCALE_INSTITUTION}, sequential requests)`,
    tables: [
      {
        columns: ["accounts", "Bankgraph p50 ms", "direct p50 ms", "ratio", "gateway CPU ms/req", "gateway CPU ms per account"],
        rows: accounts.map((p) => [p.size, p.bankgraphP50, p.directP50, p.ratio, p.gatewayCpuMs, round(p.gatewayCpuMs / p.size, 3)]),
      },
      {
        columns: ["transactions in history", "Bankgraph p50 ms", "direct p50 ms", "ratio", "gateway CPU ms/req", "bank calls per page"],
        rows: history.map((p) => [p.size, p.bankgraphP50, p.directP50, p.ratio, p.gatewayCpuMs, p.bankCalls]),
      },
    ],
    targets: [
      check(`first page: gateway CPU per page, ${longest.size} / ${shortest.size} transactions`, cpuGrowth, "<=", FLAT_LIMIT),
      check(`first page: bank calls at ${longest.size} transactions`, longest.bankCalls, "<=", 1),
    ],
    metrics: { accounts, history, cpuGrowth },
    notes: [
      `${context.profile.scale.requests} requests per point after ${context.profile.scale.warmupRequests} warm-up; gateway CPU = CPU time of the gateway process per request`,
      "the direct column grows with the mock bank's own work (it sorts the whole history on every call); the gateway's CPU per page should not",
    ],
  };
}

async function measurePoint(context: BenchContext, gateway: Target, direct: Target, user: BenchUser, size: number, query: string, first: number, balances: boolean): Promise<Point> {
  const directBody = directRequestBody(user.customer, user.institutions, first, balances);
  assertSameData({
    [`Bankgraph ${size}`]: await graphqlFingerprint(context, gateway.url, query, user.userId),
    [`direct ${size}`]: await directFingerprint(direct.url, directBody),
  });
  const amount = context.profile.scale.requests;
  const warmupRequests = context.profile.scale.warmupRequests;
  const bankgraph = await measure(context, gateway, `scale ${size}: Bankgraph`, { ...(await graphqlLoad(context, gateway.url, query, [user.userId])), connections: 1, amount }, { warmupRequests, idleSampleMs: IDLE_SAMPLE_MS });
  const baseline = await measure(context, direct, `scale ${size}: direct`, { url: direct.url, body: directBody, connections: 1, amount }, { warmupRequests });
  const bankgraphP50 = bankgraph.load.latency.p50;
  const directP50 = baseline.load.latency.p50;
  return { size, bankgraphP50, directP50, ratio: ratio(bankgraphP50, directP50), gatewayCpuMs: bankgraph.targetCpuMsPerRequest };
}

/** Bank calls one first-page query makes (no cache TTL, so every query asks the bank). */
async function firstPageBankCalls(context: BenchContext, gateway: Target, user: BenchUser): Promise<number> {
  await context.quiesce();
  await context.mocks.admin.resetCalls();
  const answer = await postJson<{ errors?: unknown[] }>(gateway.url, graphqlBody(FIRST_PAGE_QUERY), { authorization: `Bearer ${await context.token(user.userId)}` });
  if (answer.errors?.length) throw new Error(`first page as ${user.userId}: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  const calls = await context.mocks.admin.calls();
  return calls[SCALE_INSTITUTION]?.byKind["transactions"] ?? 0;
}
