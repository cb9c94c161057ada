/**
 * Every server the bench measures runs in a child process of its own, so the load generator,
 * the mock banks and the server under test never share an event loop. Parent and child talk
 * over node's IPC channel: the child says hello once it listens, the parent sends `start`
 * (options) and later requests such as `usage`; the child answers each with the same `id`.
 */
import { fork } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { fileURLToPath } from "node:url";

interface Request {
  id: number;
  type: string;
  payload?: unknown;
}

/** The id of the child's unsolicited hello. */
const HELLO = 0;

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** A running child: `call` sends a request and resolves with the child's answer. */
export interface ChildHandle {
  pid: number;
  call<T>(type: string, payload?: unknown): Promise<T>;
  /** Asks the child to close its servers and exit; kills it after 10 s. A closure: pass it on detached. */
  stop: () => Promise<void>;
}

export interface SpawnOptions {
  /** Extra node flags, e.g. `--expose-gc`. */
  nodeFlags?: string[];
  env?: Record<string, string>;
  /** How long `start` (boot and seeding) may take. Default 300 s. */
  startTimeoutMs?: number;
}

/** Forks `entry` (a bench TypeScript module, run through tsx), sends it `start` and waits for its answer. */
export async function spawnChild<Ready>(entry: URL, start: unknown, options: SpawnOptions = {}): Promise<ChildHandle & { ready: Ready }> {
  const child = fork(fileURLToPath(entry), [], {
    execArgv: ["--import", "tsx", ...(options.nodeFlags ?? [])],
    // Servers measured as deployed: NODE_ENV=production unless the caller says otherwise.
    env: { ...process.env, NODE_ENV: "production", ...options.env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;
  // The child says hello (id 0) once it listens: a message sent earlier could find no listener.
  const listening = new Promise<void>((resolve, reject) => {
    pending.set(HELLO, { resolve: () => resolve(), reject });
  });
  child.on("message", (message: Reply) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(message.error));
  });
  child.once("exit", (code, signal) => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error(`${entry.pathname} exited (${signal ?? code})`));
    pending.clear();
  });

  const call = <T>(type: string, payload?: unknown, timeoutMs = 120_000): Promise<T> => {
    if (exited) return Promise.reject(new Error(`${entry.pathname} is not running`));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${entry.pathname}: no answer to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      child.send({ id, type, payload } satisfies Request);
    });
  };

  const stop = async () => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    call("stop", undefined, 10_000).catch(() => undefined);
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await gone;
    clearTimeout(timer);
  };

  try {
    await listening;
    const ready = await call<Ready>("start", start, options.startTimeoutMs ?? 300_000);
    return { pid: child.pid!, call, stop, ready };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}

/** What a child does with each request type. `stop` must close everything; the child then exits. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler declares its own payload type; `unknown` would reject them
export type ChildHandlers = Record<string, (payload: any) => Promise<unknown>> & { start(payload: any): Promise<unknown>; stop(): Promise<unknown> };

/** The child's side: answers the parent's requests; exits after `stop` or when the parent goes away. */
export function serveParent(handlers: ChildHandlers): void {
  if (!process.send) throw new Error("bench child started without an IPC channel (use spawnChild)");
  // Orphaned (the bench was stopped): clean up (temporary stores) as on `stop`, but never linger.
  process.on("disconnect", () => {
    setTimeout(() => process.exit(0), 5_000).unref();
    // Fire and forget: the process exits once stop settles, whatever the outcome.
    void handlers.stop().finally(() => process.exit(0));
  });
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the listener catches every error and replies with it
  process.on("message", async (request: Request) => {
    const handler = handlers[request.type];
    let reply: Reply;
    try {
      if (!handler) throw new Error(`unknown request ${request.type}`);
      reply = { id: request.id, ok: true, result: await handler(request.payload) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    }
    process.send!(reply, () => {
      if (request.type === "stop") process.exit(0);
    });
  });
  process.send({ id: HELLO, ok: true } satisfies Reply);
}

/**
 * V8 CPU profiling of this process for just the part that is measured (node's `--cpu-prof`
 * would include start-up and seeding). `start` then `stop(path)` writes a .cpuprofile file that
 * Chrome DevTools or speedscope open.
 */
export function cpuProfiler(): { start(): Promise<void>; stop(path: string): Promise<void> } {
  let session: Session | undefined;
  return {
    async start() {
      session = new Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
    },
    async stop(path) {
      if (!session) throw new Error("profiler not started");
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      session = undefined;
      await writeFile(path, JSON.stringify(profile));
    },
  };
}

/** CPU time (ms) and memory of this process; every child answers `usage` with it. */
export function processUsage(options: { gc?: boolean } = {}): ProcessUsage {
  if (options.gc) (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    systemCpuMs: cpu.system / 1000,
    rssMb: memory.rss / 1_048_576,
    heapUsedMb: memory.heapUsed / 1_048_576,
    heapTotalMb: memory.heapTotal / 1_048_576,
    externalMb: memory.external / 1_048_576,
  };
}

export interface ProcessUsage {
  cpuMs: number;
  /** The part of `cpuMs` spent in the kernel (for a server: mostly its sockets). */
  systemCpuMs: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}
