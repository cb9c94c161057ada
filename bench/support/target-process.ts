/**
 * Child process entry: one server under test (the gateway, with or without consent, or one of
 * the baselines), with its own embedded store seeded with the bench users. Started and
 * controlled by targets.ts over IPC; answers `usage` with its CPU time and memory.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDirectFanout } from "../baselines/direct-fanout.js";
import { startFloor } from "../baselines/floor.js";
import { startHeldAnswerApollo } from "../baselines/held-answer-apollo.js";
import { startMercuriusJit } from "../baselines/mercurius-jit.js";
import { startPlainApollo } from "../baselines/plain-apollo.js";
import { createServices } from "../../src/server/services.js";
import { benchConfig, type BenchSecrets } from "./bench-config.js";
import { startBenchGateway } from "./bench-gateway.js";
import { cpuProfiler, processUsage, serveParent } from "./child-process.js";
import type { BenchUser } from "./population.js";
import { seedBenchUsers } from "./seed.js";

/** What can be measured. */
export type TargetKind = "gateway" | "gateway-consent-off" | "apollo-plain" | "apollo-held-answer" | "mercurius-jit" | "direct" | "floor";

export interface TargetStart {
  kind: TargetKind;
  /** The default upstream cache TTL instead of none (see benchConfig). */
  upstreamCache: boolean;
  /** Embedded store in memory, or on disk in a temporary directory (as deployed). */
  store: "memory" | "disk";
  bankUrls: Record<string, string>;
  secrets: BenchSecrets;
  users: BenchUser[];
}

export interface TargetReady {
  url: string;
}

let close: (() => Promise<void>) | undefined;
const profiler = cpuProfiler();

async function start({ kind, upstreamCache, store, bankUrls, secrets, users }: TargetStart): Promise<TargetReady> {
  if (kind === "direct" || kind === "floor") {
    const server = await (kind === "direct" ? startDirectFanout : startFloor)(bankUrls);
    close = server.close;
    return { url: server.url };
  }
  const dataDir = store === "disk" ? await mkdtemp(join(tmpdir(), "bankgraph-bench-")) : undefined;
  const removeDataDir = async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
  const config = benchConfig(secrets, { upstreamCache, dataDir });
  const overrides = { inMemoryStore: !dataDir };
  if (kind === "gateway" || kind === "gateway-consent-off") {
    const gateway = await startBenchGateway({ config, bankUrls, users, inMemoryStore: overrides.inMemoryStore, enforceConsent: kind === "gateway" });
    close = async () => {
      await gateway.close();
      await removeDataDir();
    };
    return { url: gateway.url };
  }
  const services = await createServices(config, bankUrls, overrides);
  await seedBenchUsers(services, users);
  const startBaseline = { "apollo-plain": startPlainApollo, "apollo-held-answer": startHeldAnswerApollo, "mercurius-jit": startMercuriusJit }[kind];
  const server = await startBaseline(services);
  close = async () => {
    await server.close();
    await services.close();
    await removeDataDir();
  };
  return { url: server.url };
}

serveParent({
  start,
  async stop() {
    await close?.();
  },
  async usage(payload: { gc?: boolean } | undefined) {
    return processUsage({ gc: payload?.gc });
  },
  profileStart: () => profiler.start(),
  profileStop: (path: string) => profiler.stop(path),
});
