/**
 * What every scenario gets: the profile, the mock banks (their own process), the servers under
 * test (each in its own process, started on first use and shared across scenarios), and bearer
 * tokens for the bench users.
 */
import { benchToken, newBenchSecrets, type BenchSecrets } from "./bench-config.js";
import { spawnChild, type ChildHandle, type ProcessUsage } from "./child-process.js";
import { gatewayNodeFlags } from "./gateway-node-flags.js";
import { settle } from "./measure.js";
import { MockAdmin } from "./mock-admin.js";
import type { MockReady } from "./mock-process.js";
import { ALL_INSTITUTIONS, BENCH_CLIENT, allBenchUsers, dashboardUsers, type BenchUser, type ScalePoints } from "./population.js";
import type { BenchProfile } from "./profile.js";
import type { TargetKind, TargetReady, TargetStart } from "./target-process.js";

/** Which server, whether it keeps bank answers (the default config) or not (comparisons), and where its store lives. */
export interface TargetSpec {
  kind: TargetKind;
  /** Default false: no TTL, so every request makes the same upstream calls as a baseline. */
  upstreamCache?: boolean;
  /** Default "memory"; "disk" keeps the embedded store in a temporary directory, as `npm start` does. */
  store?: "memory" | "disk";
}

/** The gateway as compared with the baselines: no cache TTL, store in memory. */
export const GATEWAY: TargetSpec = { kind: "gateway" };
/** The gateway as `npm start` runs it: upstream cache on, store on disk. */
export const GATEWAY_DEFAULT_CONFIG: TargetSpec = { kind: "gateway", upstreamCache: true, store: "disk" };
export const DIRECT: TargetSpec = { kind: "direct" };
/** The least code making the dashboard's bank calls and building its JSON (bench/baselines/floor.ts). */
export const FLOOR: TargetSpec = { kind: "floor" };
/** The warm dashboard's floor: plain Apollo serving the answer it holds (bench/baselines/held-answer-apollo.ts). */
export const WARM_FLOOR: TargetSpec = { kind: "apollo-held-answer" };
/** Plain Apollo over the gateway's loaders with the upstream cache on, as the gateway's warm dashboard runs. */
export const PLAIN_APOLLO_WARM: TargetSpec = { kind: "apollo-plain", upstreamCache: true, store: "disk" };

/** A running server under test. */
export interface Target {
  kind: TargetKind;
  upstreamCache: boolean;
  store: "memory" | "disk" | "postgres";
  url: string;
  /** CPU time and memory of its process (after a full GC when `gc` and the process has --expose-gc). */
  usage(gc?: boolean): Promise<ProcessUsage>;
  /** Starts V8 CPU profiling in its process; `profileStop` writes the .cpuprofile. Absent where not supported. */
  profileStart?(): Promise<void>;
  profileStop?(path: string): Promise<void>;
  stop(): Promise<void>;
}

export interface BenchContextOptions {
  profile: BenchProfile;
  /** Where measured runs write CPU profiles of the server under test and the mock banks; none when unset. */
  cpuProfileDir?: string;
  log?: (message: string) => void;
}

export interface BenchContext {
  profile: BenchProfile;
  secrets: BenchSecrets;
  mocks: {
    urls: Record<string, string>;
    admin: MockAdmin;
    usage(): Promise<ProcessUsage>;
    profileStart(): Promise<void>;
    profileStop(path: string): Promise<void>;
  };
  /** The shared target of this spec (started on first use, stopped by `close`). */
  target(spec: TargetSpec | TargetKind): Promise<Target>;
  /** Waits until every target started so far and the mock banks are idle (before counting bank calls). */
  quiesce(): Promise<void>;
  /** Starts these shared targets now (two at a time), before anything is measured. */
  prestart(specs: ReadonlyArray<TargetSpec | TargetKind>): Promise<void>;
  /** A target of its own, e.g. a clean process for the memory soak; the caller stops it. */
  freshTarget(spec: TargetSpec | TargetKind, nodeFlags?: string[]): Promise<Target>;
  token(userId: string): Promise<string>;
  /** Set when measured runs should be CPU-profiled (`--cpu-prof`). */
  cpuProfileDir?: string;
  log(message: string): void;
  close(): Promise<void>;
}

const MOCK_ENTRY = new URL("./mock-process.ts", import.meta.url);
const TARGET_ENTRY = new URL("./target-process.ts", import.meta.url);

/** Who a target of each kind must know: the gateway everyone, the baselines the dashboard users. */
function usersFor(kind: TargetKind, profile: BenchProfile): BenchUser[] {
  if (kind === "gateway" || kind === "gateway-consent-off") return allBenchUsers(profile.dashboardUsers, profile.scale);
  return kind === "direct" || kind === "floor" ? [] : dashboardUsers(profile.dashboardUsers);
}

export async function createBenchContext(options: BenchContextOptions): Promise<BenchContext> {
  const log = options.log ?? ((message: string) => process.stderr.write(`[bench] ${message}\n`));
  const secrets = newBenchSecrets();
  // --expose-gc: the mock process collects the heap once it has built the history-scale histories.
  const mockChild = await spawnChild<MockReady>(MOCK_ENTRY, options.profile.scale satisfies ScalePoints, { nodeFlags: ["--expose-gc"] });
  const mocks = {
    urls: mockChild.ready.urls,
    admin: new MockAdmin(mockChild.ready.adminUrl, ALL_INSTITUTIONS),
    usage: () => mockChild.call<ProcessUsage>("usage"),
    profileStart: () => mockChild.call<void>("profileStart"),
    profileStop: (path: string) => mockChild.call<void>("profileStop", path),
  };

  const started: ChildHandle[] = [];
  // At most two targets start at once: each boots and seeds its store through the mock banks,
  // and more at once only make each other slow on a small machine.
  const startSlots = new Semaphore(2);
  const shared = new Map<string, Promise<Target>>();
  const tokens = new Map<string, Promise<string>>();

  async function startTarget(specOrKind: TargetSpec | TargetKind, extraNodeFlags: string[] = []): Promise<Target> {
    const { kind, upstreamCache = false, store = "memory" } = typeof specOrKind === "string" ? { kind: specOrKind } : specOrKind;
    // --expose-gc everywhere: lets the memory scenario read the heap after a full GC; changes nothing else.
    // Then the gateway's own runtime flags, for every target alike.
    const nodeFlags = ["--expose-gc", ...gatewayNodeFlags(), ...extraNodeFlags];
    const start: TargetStart = { kind, upstreamCache, store, bankUrls: mocks.urls, secrets, users: usersFor(kind, options.profile) };
    const { child, seconds } = await startSlots.run(async () => {
      const began = Date.now();
      const child = await spawnChild<TargetReady>(TARGET_ENTRY, start, { nodeFlags });
      return { child, seconds: (Date.now() - began) / 1000 };
    });
    started.push(child);
    log(
      `${kind}${upstreamCache ? " (upstream cache on)" : ""}${store === "disk" ? " (store on disk)" : ""} ready at ${child.ready.url} in ${seconds.toFixed(1)} s (pid ${child.pid})`,
    );
    return targetOf(child, { kind, upstreamCache, store });
  }

  const target = (spec: TargetSpec | TargetKind): Promise<Target> => {
    const { kind, upstreamCache = false, store = "memory" } = typeof spec === "string" ? { kind: spec } : spec;
    const key = `${kind}:${upstreamCache}:${store}`;
    let running = shared.get(key);
    if (!running) {
      running = startTarget({ kind, upstreamCache, store });
      shared.set(key, running);
    }
    return running;
  };

  const context: BenchContext = {
    profile: options.profile,
    secrets,
    mocks,
    cpuProfileDir: options.cpuProfileDir,
    log,
    target,
    async quiesce() {
      const running = await Promise.allSettled([...shared.values()]);
      await settle(
        context,
        running.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])),
      );
    },
    async prestart(specs) {
      // A target that fails to start fails the scenarios that use it, not the run.
      await Promise.allSettled(specs.map(target));
    },
    freshTarget: startTarget,
    token(userId) {
      let token = tokens.get(userId);
      if (!token) {
        token = benchToken(secrets, userId, BENCH_CLIENT.id);
        tokens.set(userId, token);
      }
      return token;
    },
    async close() {
      await Promise.allSettled(started.map((child) => child.stop()));
      await mockChild.stop();
    },
  };
  return context;
}

/** A started target-process child (bench/support/target-process.ts) as a {@link Target}. */
export function targetOf(child: ChildHandle & { ready: TargetReady }, spec: Pick<Target, "kind" | "upstreamCache" | "store">): Target {
  return {
    ...spec,
    url: child.ready.url,
    usage: (gc = false) => child.call<ProcessUsage>("usage", { gc }),
    profileStart: () => child.call<void>("profileStart"),
    profileStop: (path) => child.call<void>("profileStop", path),
    stop: child.stop,
  };
}

/** Runs at most `limit` tasks at once. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // a finishing task hands over its slot
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
