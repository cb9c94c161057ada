/**
 * Scenario 4 — scale. Dashboard latency for a user with 1, 10, 100 and 1000 accounts at one bank,
 * and the first transactions page of an account with 1k, 10k and 100k transactions of history.
 * Each point beside the direct baseline on the same data, because the mock bank's own work grows
 * with its data too: what must stay flat is what the gateway adds on top — its latency less the
 * time its own bank calls took in the same requests (from its /metrics), so the slow mock bank's
 * ups and downs drop out — and the page must cost one bank call however long the history. Pairs
 * (one Bankgraph request, one direct request, in turn) give the side-by-side latencies.
 */
import { directRequestBody } from "../baselines/direct-fanout.js";
import type { BenchContext, Target } from "../support/bench-context.js";
import { DASHBOARD_QUERY, FIRST_PAGE_QUERY, graphqlBody, postJson } from "../support/dashboard.js";
import { scrape, sumOf } from "../../test/support/prometheus-text.js";
import { measurePaired } from "../support/measure.js";
import { SCALE_INSTITUTION, accountScaleUser, historyScaleUser, type BenchUser } from "../support/population.js";
import { check, type ScenarioResult } from "../support/report.js";
import { assertSameData, directFingerprint, graphqlFingerprint } from "../support/same-data.js";
import { round } from "../support/stats.js";

/** The first page is flat when what the gateway adds grows by less than this (ms) from the shortest history to the longest. */
const FLAT_TOLERANCE_MS = 10;

interface Point {
  size: number;
  bankgraphP50: number;
  directP50: number;
  /** Median over request pairs of Bankgraph − direct (the two ask the bank separately, so its jitter shows here). */
  overheadMs: number;
  /** Mean Bankgraph latency less the mean time its own bank calls took in the same requests: what the gateway adds. */
  addedMs: number;
  /** CPU of the gateway process per request (less its idle burn over the same time). */
  gatewayCpuMs: number;
}

export async function scale(context: BenchContext): Promise<ScenarioResult> {
  const [gateway, direct] = await Promise.all([context.target("gateway"), context.target("direct")]);
  const point = (user: BenchUser, size: number, query: string, first: number, balances: boolean) =>
    measurePoint(context, gateway, direct, user, size, query, first, balances);

  const accounts: Point[] = [];
  for (const n of context.profile.scale.accounts) accounts.push(await point(accountScaleUser(n), n, DASHBOARD_QUERY, 5, true));
  const history: Array<Point & { bankCalls: number }> = [];
  for (const n of context.profile.scale.history) {
    const measured = await point(historyScaleUser(n), n, FIRST_PAGE_QUERY, 20, false);
    history.push({ ...measured, bankCalls: await firstPageBankCalls(context, gateway, historyScaleUser(n)) });
  }

  const shortest = history[0]!;
  const longest = history[history.length - 1]!;
  const addedGrowth = round(longest.addedMs - shortest.addedMs, 2);
  const { requests, warmupRequests } = context.profile.scale;
  return {
    id: "4",
    title: `Scale: dashboard by account count, first transactions page by history length (${SCALE_INSTITUTION}, sequential requests)`,
    tables: [
      {
        columns: ["accounts", "Bankgraph p50 ms", "direct p50 ms", "pair overhead ms", "gateway-added ms", "added per account ms", "gateway CPU ms/req"],
        rows: accounts.map((p) => [p.size, p.bankgraphP50, p.directP50, p.overheadMs, p.addedMs, round(p.addedMs / p.size, 3), p.gatewayCpuMs]),
      },
      {
        columns: [
          "transactions in history",
          "Bankgraph p50 ms",
          "direct p50 ms",
          "pair overhead ms",
          "gateway-added ms",
          "gateway CPU ms/req",
          "bank calls per page",
        ],
        rows: history.map((p) => [p.size, p.bankgraphP50, p.directP50, p.overheadMs, p.addedMs, p.gatewayCpuMs, p.bankCalls]),
      },
    ],
    targets: [
      check(`first page: gateway-added ms at ${longest.size} − at ${shortest.size} transactions`, addedGrowth, "<=", FLAT_TOLERANCE_MS),
      check(`first page: bank calls at ${longest.size} transactions`, longest.bankCalls, "<=", 1),
    ],
    metrics: { accounts, history, addedGrowth },
    notes: [
      `${requests} request pairs per point (Bankgraph, direct, in turn) after ${warmupRequests}; pair overhead = median over pairs of Bankgraph − direct`,
      "gateway-added = mean Bankgraph latency − mean time of its own bank calls in those requests (its /metrics): free of the bank's jitter, and what must stay flat",
      "direct grows with the mock bank's own work (it sorts the whole history on every call), and so does its jitter, which the pair overhead carries",
      "gateway CPU includes what the process burns while a request waits on the bank, so it rises with the bank's time at the largest points",
    ],
  };
}

async function measurePoint(
  context: BenchContext,
  gateway: Target,
  direct: Target,
  user: BenchUser,
  size: number,
  query: string,
  first: number,
  balances: boolean,
): Promise<Point> {
  const directBody = directRequestBody(user.customer, user.institutions, first, balances);
  assertSameData({
    [`Bankgraph ${size}`]: await graphqlFingerprint(context, gateway.url, query, user.userId),
    [`direct ${size}`]: await directFingerprint(direct.url, directBody),
  });
  const headers = { authorization: `Bearer ${await context.token(user.userId)}` };
  const askGateway = async () => {
    const answer = await postJson<{ errors?: unknown[] }>(gateway.url, graphqlBody(query), headers);
    if (answer.errors?.length) throw new Error(`scale ${size}: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  };
  const askDirect = async () => {
    await postJson(direct.url, directBody);
  };
  const { requests, warmupRequests } = context.profile.scale;
  for (let i = 0; i < warmupRequests; i++) {
    await askGateway();
    await askDirect();
  }
  // Seconds the gateway has waited on banks (every attempt of every call), before and after the pairs.
  const bankWait = async () => sumOf(await scrape(gateway.url), "bankgraph_bank_call_duration_seconds_sum");
  const waitedBefore = await bankWait();
  const run = await measurePaired(context, gateway, askGateway, askDirect, requests);
  const bankMsPerRequest = (((await bankWait()) - waitedBefore) * 1000) / requests;
  return {
    size,
    bankgraphP50: run.a.p50,
    directP50: run.b.p50,
    overheadMs: run.medianDifferenceMs,
    addedMs: round(run.a.mean - bankMsPerRequest, 2),
    gatewayCpuMs: run.aCpuMsPerRequest,
  };
}

/** Bank calls one first-page query makes (no cache TTL, so every query asks the bank). */
async function firstPageBankCalls(context: BenchContext, gateway: Target, user: BenchUser): Promise<number> {
  await context.quiesce();
  await context.mocks.admin.resetCalls();
  const answer = await postJson<{ errors?: unknown[] }>(gateway.url, graphqlBody(FIRST_PAGE_QUERY), {
    authorization: `Bearer ${await context.token(user.userId)}`,
  });
  if (answer.errors?.length) throw new Error(`first page as ${user.userId}: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  const calls = await context.mocks.admin.calls();
  return calls[SCALE_INSTITUTION]?.byKind["transactions"] ?? 0;
}
