/**
 * One bench user's requests, one after another, against a target in this process — what the
 * in-process tools measure (bench/young-gen-retention.ts, bench/promise-sources.ts): the gateway
 * with consent on, no upstream cache and its store in memory; the cold floor of
 * bench/baselines/floor.ts; or plain Apollo serving a held answer. The mock banks run in the bench
 * context's child process.
 */
import { request } from "undici";
import { floorRequestBody, startFloor } from "../baselines/floor.js";
import { startHeldAnswerApollo } from "../baselines/held-answer-apollo.js";
import type { BenchContext } from "./bench-context.js";
import { benchConfig } from "./bench-config.js";
import { startBenchGateway } from "./bench-gateway.js";
import { graphqlBody, isCleanGraphqlBody } from "./dashboard.js";
import { ALL_INSTITUTIONS, DASHBOARD_USER } from "./population.js";

export const IN_PROCESS_TARGETS = ["gateway", "floor", "held-answer"] as const;
export type InProcessTarget = (typeof IN_PROCESS_TARGETS)[number];

export interface OneUserTarget {
  /** One request, answered in full; throws unless the answer is 200 with data and no errors. */
  send: () => Promise<void>;
  close: () => Promise<void>;
}

/** Starts `target` for the bench's dashboard user; `query` is what a GraphQL target is asked (the floor answers the dashboard). */
export async function startOneUserTarget(context: BenchContext, target: InProcessTarget, query: string): Promise<OneUserTarget> {
  const closing: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const stop of closing) await stop();
  };
  try {
    const gateway = await startBenchGateway({
      config: benchConfig(context.secrets, { upstreamCache: false }),
      bankUrls: context.mocks.urls,
      users: [DASHBOARD_USER],
      inMemoryStore: true,
      enforceConsent: true,
    });
    closing.unshift(() => gateway.close());
    const baseline =
      target === "floor" ? await startFloor(context.mocks.urls) : target === "held-answer" ? await startHeldAnswerApollo(gateway.services) : undefined;
    if (baseline) closing.unshift(() => baseline.close());
    const url = baseline?.url ?? gateway.url;
    const body = target === "floor" ? floorRequestBody(DASHBOARD_USER.customer, ALL_INSTITUTIONS, 5) : graphqlBody(query);
    const headers = { "content-type": "application/json", authorization: `Bearer ${await context.token(DASHBOARD_USER.userId)}` };
    const send = async () => {
      const response = await request(url, { method: "POST", headers, body });
      const text = await response.body.text();
      if (response.statusCode !== 200 || !isCleanGraphqlBody(text)) throw new Error(`${target} answered ${response.statusCode}: ${text.slice(0, 300)}`);
    };
    return { send, close };
  } catch (error) {
    await close();
    throw error;
  }
}
