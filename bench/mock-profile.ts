/**
 * Where a mock bank call's CPU goes: one mock process (bench/support/mock-process.ts) with the
 * history-scale customer, every bank's calls made through the product's adapters until the process
 * is warm (V8 has compiled the shared path: a fresh process spends its first ~2,000 calls at 2-3x the
 * CPU), then a V8 CPU profile of the mock process over a stream of one kind of call, summarised by
 * self time per function and per file.
 *
 *   node --import tsx bench/mock-profile.ts [kind] [bank]
 *     kind: accounts | page5 | range50 | walk (page after page by the bank's cursor) (default page5); bank: a provider id or "all" (default all)
 *     MOCK_PROFILE_HISTORY (100000), MOCK_PROFILE_CALLS (3000), MOCK_PROFILE_WARM_UP (2500),
 *     MOCK_PROFILE_NODE_FLAGS (e.g. "--trace-gc": node flags of the mock process)
 */
import { readFile } from "node:fs/promises";
import { PROVIDER_MODULES } from "../src/providers/registry.js";
import { spawnChild, type ProcessUsage } from "./support/child-process.js";
import { bankAsCustomer } from "./support/mock-call-cost.js";
import type { MockReady } from "./support/mock-process.js";
import { historyScaleCustomer } from "./support/population.js";

const HISTORY = Number(process.env.MOCK_PROFILE_HISTORY ?? 100_000);
const CALLS = Number(process.env.MOCK_PROFILE_CALLS ?? 3_000);
const WARM_UP = Number(process.env.MOCK_PROFILE_WARM_UP ?? 2_500);
const kind = process.argv[2] ?? "page5";
const bank = process.argv[3] ?? "all";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const mocks = await spawnChild<MockReady>(
  new URL("./support/mock-process.ts", import.meta.url),
  { accounts: [], history: [HISTORY] },
  {
    nodeFlags: ["--expose-gc", ...(process.env.MOCK_PROFILE_NODE_FLAGS ?? "").split(" ").filter(Boolean)],
  },
);
try {
  const modules = PROVIDER_MODULES.filter((m) => bank === "all" || m.id === bank);
  const calls: Array<() => Promise<unknown>> = [];
  for (const module of modules) {
    const { provider, session, accountId } = await bankAsCustomer(module, mocks.ready.urls[module.id]!, historyScaleCustomer(HISTORY));
    let cursor: string | null = null;
    const byKind: Record<string, () => Promise<unknown>> = {
      accounts: () => provider.listAccounts(session),
      page5: () => provider.listTransactions(session, [{ accountId, limit: 5 }]),
      range50: () => provider.listTransactions(session, [{ accountId, limit: 50, from: "2026-01-01", to: "2099-12-31" }]),
      walk: async () => {
        const [page] = await provider.listTransactions(session, [{ accountId, limit: 5, cursor }]);
        cursor = page?.nextCursor ?? null;
      },
    };
    calls.push(byKind[kind]!);
  }
  for (let i = 0; i < WARM_UP; i++) for (const call of calls) await call();
  const usage = () => mocks.call<ProcessUsage>("usage");
  const before = await usage();
  for (let i = 0; i < CALLS; i++) for (const call of calls) await call();
  const after = await usage();
  const unprofiled = (after.cpuMs - before.cpuMs) / (CALLS * calls.length);
  const kernel = (after.systemCpuMs - before.systemCpuMs) / (CALLS * calls.length);
  await mocks.call("profileStart");
  for (let i = 0; i < CALLS; i++) for (const call of calls) await call();
  const path = `/tmp/mock-profile-${kind}-${bank}.cpuprofile`;
  await mocks.call("profileStop", path);
  console.log(
    `${kind} at ${bank}: ${unprofiled.toFixed(3)} ms mock CPU per call (${kernel.toFixed(3)} of it in the kernel; unprofiled, after ${WARM_UP} warm-up rounds); profile ${path}`,
  );
  summarise(JSON.parse(await readFile(path, "utf8")) as Profile, CALLS * calls.length);
} finally {
  await mocks.stop();
}

function summarise(profile: Profile, calls: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const file = url.replace(/^.*node_modules\//, "npm:").replace(/^.*\/work\/[^/]+\//, "") || "(native)";
    byFunction.set(
      `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`,
      (byFunction.get(`${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`) ?? 0) + us,
    );
    const pkg = file.startsWith("npm:")
      ? file
          .split("/")
          .slice(0, file.startsWith("npm:@") ? 2 : 1)
          .join("/")
      : file;
    byFile.set(pkg, (byFile.get(pkg) ?? 0) + us);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `  ${(us / 1000 / calls).toFixed(4)} ms/call ${((100 * us) / total).toFixed(1)}%  ${k}`);
  console.log(`main-thread samples ${(total / 1000 / calls).toFixed(3)} ms/call`);
  console.log("by file/package:\n" + top(byFile, 25).join("\n"));
  console.log("by function:\n" + top(byFunction, 45).join("\n"));
}
