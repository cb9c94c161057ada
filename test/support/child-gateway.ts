/**
 * A gateway in a child process (`bankgraph serve`), for tests about several instances and about a
 * process that dies: resolves once it listens, with its port and its log lines.
 */
import { spawn, type ChildProcess } from "node:child_process";

/** A running child gateway. */
export interface ChildGateway {
  child: ChildProcess;
  port: number;
  logs: string[];
}

/** Starts `bankgraph serve` with `env` on top of this process's environment; resolves with its port. */
export async function startChildGateway(env: Record<string, string>): Promise<ChildGateway> {
  const child = spawn(process.execPath, ["bin/bankgraph.js", "serve"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const logs: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child gateway did not start:\n${logs.join("\n")}`)), 60_000);
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        logs.push(line);
        const match = /"port":(\d+),"msg":"gateway listening"/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      }
    };
    child.stdout.on("data", onLine);
    child.stderr.on("data", onLine);
    child.once("exit", (code) => reject(new Error(`child gateway exited with ${code}:\n${logs.join("\n")}`)));
  });
  return { child, port, logs };
}

/** Stops a child gateway with `signal` (SIGKILL: as if the machine died) and waits for it to exit. */
export async function stopChildGateway(gateway: ChildGateway | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!gateway || gateway.child.exitCode !== null || gateway.child.signalCode !== null) return;
  const exited = new Promise((resolve) => gateway.child.once("exit", resolve));
  gateway.child.kill(signal);
  await exited;
}
