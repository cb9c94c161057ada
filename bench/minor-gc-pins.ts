/**
 * Which code patterns make Node 20's young-generation collector (V8 11's scavenger) keep a
 * finished request's garbage until the next full GC. Each pattern runs in a fresh process: a
 * "request" allocates ~0.38 MB (5,000 small objects) and does one thing with it; after 2,000
 * warm-up requests and two full GCs, 20 requests run one after another, then two minor GCs and one
 * full GC. Printed per pattern: what the two minor GCs left in the heap, and what the full GC left.
 * A pattern that pins keeps all 20 requests (~7.5 MB) through the minor GCs; the full GC frees it.
 *
 *   node --import tsx bench/minor-gc-pins.ts
 *
 * What pins is an old-generation object pointing at the request: the scavenger treats every such
 * pointer as a root, alive or not, and treats weak references as strong. A hidden class made for
 * the request (a class, constructor or generator function created per call, an object made a
 * prototype per call), a long-lived Map whose table is reallocated while it holds the request
 * (V8 links the obsolete table to the new one), and a WeakMap entry keyed by a request object all
 * do it. Figures: bench/reports/2026-12-05-session-15-minor-gc-pins.txt.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Each pattern: what one request does with its data. */
const PATTERNS: Record<string, (data: object[]) => void> = {
  "nothing (the baseline)": () => {},
  "a closure over the data, called": (data) => {
    const read = () => data.length;
    read();
  },
  "a class declared per call, instantiated": (data) => {
    class PerCall {
      size = data.length;
    }
    new PerCall();
  },
  "a constructor function made per call, new-ed": (data) => {
    function PerCall(this: { data: object[] }) {
      this.data = data;
    }
    new (PerCall as unknown as new () => object)();
  },
  "a generator function made per call (PGlite's mutex, TypeScript's __awaiter)": (data) => {
    function* perCall() {
      yield data.length;
    }
    perCall().next();
  },
  "Object.create(an object made per call)": (data) => {
    Object.create({ data });
  },
  "a module-level WeakMap keyed by a per-call object": (data) => {
    requestsByKey.set({}, data);
  },
  "a module-level Map: 18 entries set, then deleted": (data) => {
    for (let i = 0; i < 18; i++) inFlight.set(next++, data);
    for (const key of [...inFlight.keys()]) inFlight.delete(key);
  },
  "a module-level Map: one entry set, then deleted": (data) => {
    inFlight.set(next, data);
    inFlight.delete(next++);
  },
  "an AbortSignal listener added, then removed": (data) => {
    const controller = new AbortController();
    const onAbort = () => data.length;
    controller.signal.addEventListener("abort", onAbort, { once: true });
    controller.signal.removeEventListener("abort", onAbort);
  },
};
const requestsByKey = new WeakMap<object, object[]>();
const inFlight = new Map<number, object[]>();
let next = 0;

const gc = (globalThis as { gc?: (options?: { type: "minor" | "major" }) => void }).gc;
const heapMb = () => process.memoryUsage().heapUsed / 1e6;

function runPattern(name: string): string {
  const pattern = PATTERNS[name]!;
  const request = () => pattern(Array.from({ length: 5_000 }, (_, i) => ({ i, s: `x${i}` })));
  for (let i = 0; i < 2_000; i++) request();
  const rounds: string[] = [];
  for (let round = 0; round < 3; round++) {
    gc!();
    gc!();
    const base = heapMb();
    for (let i = 0; i < 20; i++) request();
    gc!({ type: "minor" });
    gc!({ type: "minor" });
    const afterMinor = heapMb() - base;
    gc!();
    rounds.push(`${afterMinor.toFixed(2)} / ${(heapMb() - base).toFixed(2)}`);
  }
  return rounds.join("   ");
}

const only = process.argv[2];
if (only !== undefined) {
  if (!gc) throw new Error("run with --expose-gc");
  process.stdout.write(runPattern(only));
} else {
  console.log("20 requests of ~0.38 MB each; MB left after two minor GCs / after a full GC, three rounds\n");
  for (const name of Object.keys(PATTERNS)) {
    const child = spawnSync(process.execPath, ["--expose-gc", "--max-semi-space-size=64", "--import", "tsx", fileURLToPath(import.meta.url), name], {
      encoding: "utf8",
    });
    if (child.status !== 0) throw new Error(`${name}: ${child.stderr}`);
    console.log(`${name.padEnd(80)} ${child.stdout}`);
  }
}
