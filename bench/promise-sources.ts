/**
 * How many promises one request makes, and where:
 *
 *   node --import tsx bench/promise-sources.ts [--target gateway|floor] [--requests 50]
 *
 * The gateway (consent on, no upstream cache, store in memory) or the cold floor of
 * bench/baselines/floor.ts in this process, the mock banks in a child, one bench user. After 300
 * unmeasured cold dashboards, an async hook counts every promise made while `--requests` more run
 * one after another, and takes the stack of every 7th: the count per request, then per package or
 * source file of the first frame that is neither a promise built-in nor the microtask queue. The
 * client (undici, in this process too) makes the same promises whatever the target: they count in both.
 *
 * Every promise is an allocation, most are a microtask hop, and an async function costs two or
 * three; the cold dashboard's promises against the floor's are where its extra microtask and
 * young-generation work comes from. The hook slows the run; only the counts mean anything.
 */
import { createHook } from "node:async_hooks";
import { parseArgs } from "node:util";
import { createBenchContext } from "./support/bench-context.js";
import { DASHBOARD_QUERY } from "./support/dashboard.js";
import { startOneUserTarget } from "./support/one-user-target.js";
import { QUICK_PROFILE } from "./support/profile.js";

const WARM_UP_REQUESTS = 300;
/** One stack in this many is read (a stack per promise would slow the run tenfold). */
const STACK_EVERY = 7;
/** Frames that only say a promise was made, not by whom. */
const PROMISE_MACHINERY = /^(Promise\.then|Promise\.catch|Promise\.finally|Function\.all|new Promise|Array\.map|process\.processTicksAndRejections|async )/;

const { values } = parseArgs({ options: { target: { type: "string", default: "gateway" }, requests: { type: "string", default: "50" } } });
const target = values.target;
const requests = Number(values.requests);
if (target !== "gateway" && target !== "floor") throw new Error("--target: gateway or floor");
if (!Number.isInteger(requests) || requests < 1) throw new Error("--requests: a whole number ≥ 1");

/** Where a stack's first telling frame lives: a package, a source file, or the frame itself. */
function sourceOf(frames: readonly string[]): string {
  const frame = frames.find((f) => !PROMISE_MACHINERY.test(f)) ?? frames[0] ?? "(unknown)";
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(frame);
  if (inPackage) return inPackage[1]!;
  const inTree = /\/((?:src|bench|mocks)\/[^:]+):\d+/.exec(frame);
  return inTree ? inTree[1]! : frame.slice(0, 80);
}

const context = await createBenchContext({ profile: { ...QUICK_PROFILE, dashboardUsers: 1 } });
const closing: Array<() => Promise<void>> = [() => context.close()];
try {
  const { send, close } = await startOneUserTarget(context, target, DASHBOARD_QUERY);
  closing.unshift(close);
  for (let i = 0; i < WARM_UP_REQUESTS; i++) await send();

  let made = 0;
  const bySource = new Map<string, number>();
  const hook = createHook({
    init(_id, type) {
      if (type !== "PROMISE" || ++made % STACK_EVERY !== 0) return;
      // Lines 0–4: the message, this hook and node's promise hook; then the built-in that made the promise and its callers.
      const frames = (new Error().stack ?? "")
        .split("\n")
        .slice(5, 9)
        .map((line) => line.trim().replace(/^at /, ""));
      const source = sourceOf(frames);
      bySource.set(source, (bySource.get(source) ?? 0) + STACK_EVERY);
    },
  });
  hook.enable();
  for (let i = 0; i < requests; i++) await send();
  hook.disable();

  console.log(`${target}, cold dashboard: ${(made / requests).toFixed(0)} promises per request (${requests} requests, one after another)`);
  for (const [source, count] of [...bySource].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${(count / requests).toFixed(0).padStart(6)}  ${source}`);
  }
} finally {
  for (const close of closing) await close();
}
