/**
 * Scenario 4 — scale. Dashboard latency for a user with 1, 10, 100 and 1000 accounts at one bank,
 * and the first transactions page of an account with 1k, 10k and 100k transactions of history.
 * Each point beside the direct baseline on the same data, because the mock bank's own work grows
 * with its data too: what must stay flat is what the gateway adds on top — measured pair by pair
 * (one Bankgraph request, one direct request, in turn), so the slow mock bank's ups and downs
 * cancel — and the page must cost one bank call however long the history.
 */
import { directRequestBody } from "../baselines/direct-fanout.js";
import type { BenchContext, Target } from "../support/bench-context.js";
import { DASHBOARD_QUERY, FIRST_PAGE_QUERY, graphqlBody, postJson } from "../support/dashboard.js";
import { measurePaired } from "../support/measure.js";
import { SCALE_INSTITUTION, accountScaleUser, historyScaleUser, type BenchUser } from "../support/population.js";
import { check, type ScenarioResult } from "../support/report.js";
import { assertSameData, directFingerprint, graphqlFingerprint } from "../support/same-data.js";
import { round } from "../support/stats.js";

/** The first page is flat when what the gateway adds grows by less than this from the shortest history to the longest. */
const FLAT_TOLERANCE_MS = 10;

interface Point {
  size: number;
  bankgraphP50: number;
  directP50: number;
  /** Median over request pairs of Bankgraph − direct: what the gateway adds at this size. */
  overheadMs: number;
  /** CPU of the gateway process per request (less its idle burn over the same time). */
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
  const overheadGrowth = round(longest.overheadMs - shortest.overheadMs, 2);
  const { requests, warmupRequests } = context.profile.scale;
  return {
    id: "4",
    title: `Scale: dashboard by account count, first transactions page by history length (${SCALE_INSTITUTION}, sequential requests)`,
    tables: [
      {
        columns: ["accounts", "Bankgraph p50 ms", "direct p50 ms", "overhead ms", "overhead per account ms", "gateway CPU ms/req"],
        rows: accounts.map((p) => [p.size, p.bankgraphP50, p.directP50, p.overheadMs, round(p.overheadMs / p.size, 3), p.gatewayCpuMs]),
      },
      {
        columns: ["transactions in history", "Bankgraph p50 ms", "direct p50 ms", "overhead ms", "gateway CPU ms/req", "bank calls per page"],
        rows: history.map((p) => [p.size, p.bankgraphP50, p.directP50, p.overheadMs, p.gatewayCpuMs, p.bankCalls]),
      },
    ],
    targets: [
      check(`first page: overhead at ${longest.size} − at ${shortest.size} transactions (ms)`, overheadGrowth, "<=", FLAT_TOLERANCE_MS),
      check(`first page: bank calls at ${longest.size} transactions`, longest.bankCalls, "<=", 1),
    ],
    metrics: { accounts, history, overheadGrowth },
    notes: [
      `${requests} request pairs per point (Bankgraph, direct, in turn) after ${warmupRequests}; overhead = median over pairs of Bankgraph − direct`,
      "direct grows with the mock bank's own work (it sorts the whole history on every call); the overhead is what must stay flat",
      "gateway CPU includes what the process burns while a request waits on the bank, so it rises with the bank's time at the largest points",
    ],
  };
}

async function measurePoint(context: BenchContext, gateway: Target, direct: Target, user: BenchUser, size: number, query: string, first: number, balances: boolean): Promise<Point> {
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
  const run = await measurePaired(context, gateway, askGateway, askDirect, requests, warmupRequests);
  return { size, bankgraphP50: run.a.p50, directP50: run.b.p50, overheadMs: run.medianDifferenceMs, gatewayCpuMs: run.aCpuMsPerRequest };
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
