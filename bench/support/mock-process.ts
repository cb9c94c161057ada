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

/** Access-token lifetime at the bench's banks: longer than any run. */
const BENCH_ACCESS_TOKEN_SECONDS = 4 * 3600;

let cluster: MockCluster | undefined;
const profiler = cpuProfiler();

serveParent({
  async start(scale: ScalePoints): Promise<MockReady> {
    // Tokens that outlive a whole run: the baselines (direct fan-out, the floors) authorize once per
    // bank and customer and do not refresh, and a full scenario 7 runs longer than the default 300 s.
    cluster = await startMockCluster({ customers: benchCustomers(scale), historyDays: BENCH_HISTORY_DAYS, accessTokenSeconds: BENCH_ACCESS_TOKEN_SECONDS });
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
