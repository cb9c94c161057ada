/**
 * Child process entry: the six mock banks with the bench population (population.ts), on free
 * ports. Faults and call counts are driven over the cluster's admin HTTP API (mock-admin.ts).
 */
import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { cpuProfiler, processUsage, serveParent } from "./child-process.js";
import { BENCH_HISTORY_DAYS, benchCustomers, historyScaleCustomer, type ScalePoints } from "./population.js";

/** Where the mock banks listen. */
export interface MockReady {
  urls: Record<string, string>;
  adminUrl: string;
}

let cluster: MockCluster | undefined;
const profiler = cpuProfiler();

serveParent({
  async start(scale: ScalePoints): Promise<MockReady> {
    cluster = await startMockCluster({ customers: benchCustomers(scale), historyDays: BENCH_HISTORY_DAYS });
    // The history-scale customers' histories are built now, and the heap collected once built (with
    // --expose-gc), so that no measured call pays for building them; later garbage is the calls' own.
    for (const bank of cluster.banks.values()) for (const n of scale.history) bank.generateHistoriesOf(historyScaleCustomer(n));
    processUsage({ gc: true });
    return { urls: cluster.urls, adminUrl: cluster.adminUrl };
  },
  async stop() {
    await cluster?.close();
  },
  async usage() {
    return processUsage();
  },
  profileStart: () => profiler.start(),
  profileStop: (path: string) => profiler.stop(path),
});
