/**
 * What a finished request leaves behind that the young generation's collector keeps and only a
 * full GC frees:
 *
 *   node --expose-gc --max-semi-space-size=64 --import tsx bench/young-gen-retention.ts \
 *     [--target gateway|floor|held-answer] [--query dashboard|typename] [--requests 20] [--rounds 3] [--sample FILE]
 *
 * One target in this process (the gateway with consent on and no upstream cache, the cold floor of
 * bench/baselines/floor.ts, or plain Apollo serving a held answer), the mock banks in a child, one
 * bench user. Each round: two full GCs, then `--requests` requests one after another (each waited
 * for, so none is in flight), then two minor GCs and one full GC, reading the old generation after
 * each. What the two minor GCs promote although the full GC frees it is unreachable garbage the
 * scavenger could not see as such; under load, every scavenge copies it twice (to the other
 * semi-space, then to the old generation), on the main thread and on the GC's helper threads.
 * `--sample FILE` writes a V8 sampling heap profile (DevTools' `.heapprofile`) of the last round's
 * allocations that no minor GC collected: where the kept garbage was allocated.
 *
 * The semi-space flag is the gateway's own (bin/bankgraph.js): with it, 20 cold dashboards (~3 MB
 * each) mostly fit in the young generation. When a scavenge falls inside a round anyway, that
 * round's "after 1 minor GC" figure is close to its "after 2" one.
 */
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import { createBenchContext } from "./support/bench-context.js";
import { DASHBOARD_QUERY } from "./support/dashboard.js";
import { IN_PROCESS_TARGETS as TARGETS, startOneUserTarget, type InProcessTarget } from "./support/one-user-target.js";
import { QUICK_PROFILE } from "./support/profile.js";

const QUERIES = { dashboard: DASHBOARD_QUERY, typename: "{ __typename }" } as const;
const WARM_UP_REQUESTS = 300;

const { values } = parseArgs({
  options: {
    target: { type: "string", default: "gateway" },
    query: { type: "string", default: "dashboard" },
    requests: { type: "string", default: "20" },
    rounds: { type: "string", default: "3" },
    sample: { type: "string" },
  },
});
const target = values.target as InProcessTarget;
const query = values.query as keyof typeof QUERIES;
const requests = Number(values.requests);
const rounds = Number(values.rounds);
if (!TARGETS.includes(target)) throw new Error(`--target: one of ${TARGETS.join(", ")}`);
if (!(query in QUERIES)) throw new Error(`--query: one of ${Object.keys(QUERIES).join(", ")}`);
if (target === "floor" && query !== "dashboard") throw new Error("--target floor answers the dashboard only");
if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(rounds) || rounds < 1) throw new Error("--requests and --rounds: whole numbers ≥ 1");
const gc = (globalThis as { gc?: (options?: { type: "major" | "minor" }) => void }).gc;
if (!gc) throw new Error("run with node --expose-gc (see the usage at the top of bench/young-gen-retention.ts)");

const oldGenerationBytes = () =>
  v8
    .getHeapSpaceStatistics()
    .filter((s) => s.space_name !== "new_space" && s.space_name !== "new_large_object_space")
    .reduce((sum, s) => sum + s.space_used_size, 0);
const kbPerRequest = (bytes: number) => (bytes / 1024 / requests).toFixed(1);

const context = await createBenchContext({ profile: { ...QUICK_PROFILE, dashboardUsers: 1 } });
const closing: Array<() => Promise<void>> = [() => context.close()];
const session = new Session();
try {
  const { send, close } = await startOneUserTarget(context, target, QUERIES[query]);
  closing.unshift(close);
  for (let i = 0; i < WARM_UP_REQUESTS; i++) await send();

  session.connect();
  console.log(`${target}, ${query}: ${requests} requests one after another per round; old generation growth per request, KB`);
  console.log("round  after 1 minor GC  after 2 minor GCs  after a full GC");
  for (let round = 1; round <= rounds; round++) {
    const sampling = values.sample !== undefined && round === rounds;
    gc();
    gc();
    if (sampling)
      await session.post("HeapProfiler.startSampling", {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: false,
      });
    const before = oldGenerationBytes();
    for (let i = 0; i < requests; i++) await send();
    gc({ type: "minor" });
    const afterOne = oldGenerationBytes();
    gc({ type: "minor" });
    const afterTwo = oldGenerationBytes();
    gc();
    const afterFull = oldGenerationBytes();
    console.log(
      `${String(round).padEnd(7)}${kbPerRequest(afterOne - before).padEnd(18)}${kbPerRequest(afterTwo - before).padEnd(19)}${kbPerRequest(afterFull - before)}`,
    );
    if (sampling) {
      const { profile } = await session.post("HeapProfiler.getSamplingProfile");
      await session.post("HeapProfiler.stopSampling");
      await writeFile(values.sample!, JSON.stringify(profile));
      console.log(`sampling heap profile of what no minor GC collected: ${values.sample}`);
    }
  }
} finally {
  session.disconnect();
  for (const close of closing) await close();
}
