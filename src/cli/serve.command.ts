import { startMockCluster, type MockCluster } from "../../mocks/cluster.js";
import { loadConfig } from "../config.js";
import { seedDemo } from "../demo/seed-demo.js";
import { createLogger } from "../observability/logger.js";
import { startGateway } from "../server/app.js";
import { waitForSignal } from "./mocks.command.js";

export async function serveCommand(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  let mocks: MockCluster | undefined;
  if (!config.bankUrls) {
    mocks = await startMockCluster();
    logger.info({ banks: Object.keys(mocks.urls) }, "mock banks running in-process");
  }
  const gateway = await startGateway({ config, bankUrls: config.bankUrls ?? mocks!.urls, logger });
  if (config.demoData) {
    const { seeded } = await seedDemo(gateway.services);
    logger.info({ seeded }, "demo data ready: npx bankgraph token --user alice --client messenger-demo");
  }
  logger.info({ url: gateway.url }, "Bankgraph ready");
  await waitForSignal();
  logger.info("shutting down");
  await gateway.close();
  await mocks?.close();
  return 0;
}
