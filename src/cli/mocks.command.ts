import { parseArgs } from "node:util";

export async function mocksCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: "string", default: process.env["MOCKS_PORT"] ?? "4100" }, host: { type: "string", default: "127.0.0.1" } },
  });
  const adminPort = Number(values.port);
  // Loaded on demand: every command goes through main.ts, and only this one needs the mocks.
  const { startMockCluster } = await import("../../mocks/cluster.js");
  const cluster = await startMockCluster({ host: values.host, adminPort, basePort: adminPort + 1 });
  process.stdout.write(`mock bank admin: ${cluster.adminUrl}\n`);
  for (const [id, url] of Object.entries(cluster.urls)) process.stdout.write(`  ${id.padEnd(12)} ${url}\n`);
  process.stdout.write(`BANK_URLS='${JSON.stringify(cluster.urls)}'\n`);
  await waitForSignal();
  await cluster.close();
  return 0;
}

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}
