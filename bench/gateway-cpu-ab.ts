/**
 * The gateway's CPU per request, this tree against an earlier one, in the same minutes: scenario
 * 7's requests (`{ __typename }`, the warm dashboard on a store on disk with the upstream cache on,
 * and optionally the cold dashboard) against two gateway processes per tree
 * (bench/support/target-process.ts of each), over one set of mock banks, before/after order
 * alternating round by round. On a shared machine, where a whole bench run moves by ±30% with the
 * load, this is how a change of 10–20% can be seen at all.
 *
 *   rm -rf .ab-before && mkdir .ab-before && git archive <rev> mocks bench src test/support tsconfig.json package.json | tar -x -C .ab-before
 *   node --import tsx bench/gateway-cpu-ab.ts   # GATEWAY_AB_ROUNDS (5), GATEWAY_AB_SECONDS (3), GATEWAY_AB_COLD=1, GATEWAY_AB_PROFILE=dir
 *
 * Both sides run with this tree's gateway node flags (the shebang of bin/bankgraph.js);
 * GATEWAY_AB_AFTER_NODE_FLAGS="--flag …" adds node flags to the after side's processes (with the
 * same tree on both sides: what a runtime setting alone changes; a later flag wins).
 *
 * (.ab-before sits inside the repository so that it resolves the same node_modules.) Prints a
 * Markdown table of medians and each round's figures.
 */
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createBenchContext, targetOf, type Target } from "./support/bench-context.js";
import { spawnChild } from "./support/child-process.js";
import { gatewayNodeFlags } from "./support/gateway-node-flags.js";
import { DASHBOARD_QUERY } from "./support/dashboard.js";
import { graphqlLoad, measure } from "./support/measure.js";
import { dashboardUserIds, dashboardUsers } from "./support/population.js";
import { QUICK_PROFILE } from "./support/profile.js";
import { graphqlAnswer } from "./support/same-data.js";
import type { TargetReady, TargetStart } from "./support/target-process.js";

const ROUNDS = Number(process.env.GATEWAY_AB_ROUNDS ?? 5);
const SECONDS = Number(process.env.GATEWAY_AB_SECONDS ?? 3);
const COLD = process.env.GATEWAY_AB_COLD === "1";
const PROFILE_DIR = process.env.GATEWAY_AB_PROFILE ? resolve(process.env.GATEWAY_AB_PROFILE) : undefined;
const AFTER_NODE_FLAGS = (process.env.GATEWAY_AB_AFTER_NODE_FLAGS ?? "").split(" ").filter(Boolean);
const CONNECTIONS = 8;
const USERS = 8;
type Side = "before" | "after";
const SIDES: readonly Side[] = ["before", "after"];
const ENTRY: Record<Side, URL> = {
  before: new URL("../.ab-before/bench/support/target-process.ts", import.meta.url),
  after: new URL("./support/target-process.ts", import.meta.url),
};

if (PROFILE_DIR) await mkdir(PROFILE_DIR, { recursive: true });
const context = await createBenchContext({ profile: { ...QUICK_PROFILE, dashboardUsers: USERS }, cpuProfileDir: PROFILE_DIR });
const children: Array<() => Promise<void>> = [];

async function start(side: Side, upstreamCache: boolean, store: "memory" | "disk"): Promise<Target> {
  const payload: TargetStart = { kind: "gateway", upstreamCache, store, bankUrls: context.mocks.urls, secrets: context.secrets, users: dashboardUsers(USERS) };
  // tsx applies the tsconfig of the working directory only to the files it includes: the earlier tree needs its own.
  const env = side === "before" ? { TSX_TSCONFIG_PATH: fileURLToPath(new URL("../.ab-before/tsconfig.json", import.meta.url)) } : undefined;
  const child = await spawnChild<TargetReady>(ENTRY[side], payload, {
    nodeFlags: ["--expose-gc", ...gatewayNodeFlags(), ...(side === "after" ? AFTER_NODE_FLAGS : [])],
    env,
  });
  children.push(child.stop);
  context.log(`${side} gateway (cache ${upstreamCache ? "on" : "off"}, store ${store}) at ${child.ready.url}`);
  return targetOf(child, { kind: "gateway", upstreamCache, store });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  const users = dashboardUserIds(CONNECTIONS, USERS);
  const targets = {} as Record<Side, { warm: Target; cold: Target }>;
  for (const side of SIDES) {
    const [warm, cold] = await Promise.all([start(side, true, "disk"), start(side, false, "memory")]);
    targets[side] = { warm, cold };
    await Promise.all(users.map((userId) => graphqlAnswer(context, warm.url, DASHBOARD_QUERY, userId)));
  }
  const variants = {
    typename: { target: (s: Side) => targets[s].cold, query: "{ __typename }" },
    warmDashboard: { target: (s: Side) => targets[s].warm, query: DASHBOARD_QUERY },
    ...(COLD ? { coldDashboard: { target: (s: Side) => targets[s].cold, query: DASHBOARD_QUERY } } : {}),
  };
  const figures = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const [name, variant] of Object.entries(variants)) {
      for (const side of order) {
        const target = variant.target(side);
        const load = await graphqlLoad(context, target.url, variant.query, users);
        const run = await measure(
          context,
          target,
          `ab ${side} ${name} ${round}`,
          { ...load, connections: CONNECTIONS, duration: SECONDS },
          { warmupSeconds: 1 },
        );
        const key = `${name}|${side}`;
        figures.set(key, [...(figures.get(key) ?? []), run.targetCpuMsPerRequest]);
      }
    }
    context.log(`round ${round + 1} of ${ROUNDS}`);
  }
  console.log(
    `Gateway server CPU ms per request, before/after side by side: ${ROUNDS} rounds of ${SECONDS} s at ${CONNECTIONS} connections, order alternating\n`,
  );
  console.log("| request | before (rounds) | after (rounds) | before | after | after / before |\n|---|---|---|---|---|---|");
  for (const name of Object.keys(variants)) {
    const [before, after] = SIDES.map((side) => figures.get(`${name}|${side}`)!);
    console.log(
      `| ${name} | ${before!.join(" / ")} | ${after!.join(" / ")} | ${median(before!).toFixed(2)} | ${median(after!).toFixed(2)} | ${(median(after!) / median(before!)).toFixed(2)} |`,
    );
  }
} finally {
  await Promise.allSettled(children.map((stop) => stop()));
  await context.close();
}
