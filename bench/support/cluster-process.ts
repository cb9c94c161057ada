/**
 * Child process entry for the cluster scenario: a node:cluster primary that forks N gateway
 * workers sharing one port (the primary hands connections round robin) and one PostgreSQL schema
 * (PGlite cannot be shared between processes). The primary migrates and seeds the schema once,
 * then starts the workers; `usage` sums CPU time and RSS over the workers.
 */
import cluster, { type Worker } from "node:cluster";
import { fileURLToPath } from "node:url";
import { createLogger } from "../../src/observability/logger.js";
import { startGateway, type RunningGateway } from "../../src/server/app.js";
import { createServices } from "../../src/server/services.js";
import type { Database } from "../../src/store/database.js";
import { openPostgres } from "../../src/store/postgres.js";
import { benchConfig, type BenchSecrets } from "./bench-config.js";
import { processUsage, serveParent, type ProcessUsage } from "./child-process.js";
import type { BenchUser } from "./population.js";
import { seedBenchUsers } from "./seed.js";

export interface ClusterStart {
  workers: number;
  databaseUrl: string;
  /** PostgreSQL schema all workers share (created if missing). */
  schema: string;
  bankUrls: Record<string, string>;
  secrets: BenchSecrets;
  users: BenchUser[];
}

export interface ClusterReady {
  url: string;
}

type WorkerMessage = { type: "start"; start: ClusterStart } | { type: "usage" } | { type: "stop" };
type WorkerReply =
  { type: "listening" } | { type: "started"; port: number } | { type: "stopped" } | { type: "usage"; usage: ProcessUsage } | { type: "failed"; error: string };

const openSchema = (start: ClusterStart) => openPostgres(start.databaseUrl, { schema: start.schema, max: 8, applicationName: "bankgraph-bench" });

if (cluster.isPrimary) runPrimary();
else runWorker();

function runPrimary(): void {
  const workers: Worker[] = [];
  /** One request to one worker at a time; its next message is the answer. */
  const ask = (worker: Worker, message: WorkerMessage) =>
    new Promise<WorkerReply>((resolve, reject) => {
      const onMessage = (reply: WorkerReply) => {
        worker.off("exit", onExit);
        if (reply.type === "failed") reject(new Error(reply.error));
        else resolve(reply);
      };
      const onExit = (code: number) => {
        worker.off("message", onMessage);
        if (message.type === "stop") resolve({ type: "stopped" });
        else reject(new Error(`cluster worker exited (${code})`));
      };
      worker.once("message", onMessage);
      worker.once("exit", onExit);
      worker.send(message);
    });

  serveParent({
    async start(start: ClusterStart): Promise<ClusterReady> {
      await seed(start);
      cluster.setupPrimary({ exec: fileURLToPath(import.meta.url), execArgv: ["--import", "tsx"] });
      for (let i = 0; i < start.workers; i++) workers.push(cluster.fork());
      // A message sent before the worker has loaded this module would find no listener and be lost.
      await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once("message", resolve))));
      // Each worker listens on port 0: in a cluster the first listen(0) picks a free port and every
      // later one gets that same port (node's cluster docs), so no port is chosen before it is held.
      const replies = await Promise.all(workers.map((worker) => ask(worker, { type: "start", start })));
      const ports = new Set(replies.map((reply) => (reply.type === "started" ? reply.port : NaN)));
      if (ports.size !== 1) throw new Error(`cluster workers listen on ${[...ports].join(", ")}, not one shared port`);
      return { url: `http://127.0.0.1:${[...ports][0]}/graphql` };
    },
    async usage() {
      const replies = await Promise.all(workers.map((worker) => ask(worker, { type: "usage" })));
      const usages = replies.map((r) => (r as { usage: ProcessUsage }).usage);
      const sum = (pick: (u: ProcessUsage) => number) => usages.reduce((total, u) => total + pick(u), 0);
      return {
        cpuMs: sum((u) => u.cpuMs),
        rssMb: sum((u) => u.rssMb),
        heapUsedMb: sum((u) => u.heapUsedMb),
        heapTotalMb: sum((u) => u.heapTotalMb),
        externalMb: sum((u) => u.externalMb),
      };
    },
    async stop() {
      await Promise.allSettled(workers.map((worker) => ask(worker, { type: "stop" }).catch(() => worker.kill())));
    },
  });
}

/** Migrates the shared schema and seeds the users (those already there are skipped). */
async function seed(start: ClusterStart): Promise<void> {
  const db = await openSchema(start);
  try {
    const services = await createServices(benchConfig(start.secrets, { databaseUrl: start.databaseUrl }), start.bankUrls, { db });
    await seedBenchUsers(services, start.users);
    await services.close();
  } finally {
    await db.close();
  }
}

function runWorker(): void {
  let gateway: RunningGateway | undefined;
  let db: Database | undefined;
  process.on("disconnect", () => process.exit(0));
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the listener catches every error and replies with it
  process.on("message", async (message: WorkerMessage) => {
    const reply = (r: WorkerReply) => process.send!(r);
    try {
      if (message.type === "start") {
        const { start } = message;
        db = await openSchema(start);
        gateway = await startGateway({
          config: benchConfig(start.secrets, { databaseUrl: start.databaseUrl }),
          bankUrls: start.bankUrls,
          overrides: { db },
          logger: createLogger("silent"),
        });
        reply({ type: "started", port: gateway.port });
      } else if (message.type === "usage") {
        reply({ type: "usage", usage: processUsage() });
      } else {
        await gateway?.close();
        await db?.close();
        process.exit(0);
      }
    } catch (error) {
      reply({ type: "failed", error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
  process.send!({ type: "listening" } satisfies WorkerReply);
}
