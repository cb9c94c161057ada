/**
 * `npm start` as a newcomer runs it: `bankgraph serve` in a child process (in-process mock banks,
 * demo data) on a fresh DATA_DIR, resolved once it logs its "Bankgraph ready" line — which carries
 * every URL a newcomer needs. Its stdout is not a terminal, so every line is JSON.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";

const ROOT = new URL("../..", import.meta.url).pathname;

export interface ServeChild {
  /** The "Bankgraph ready" log entry. */
  ready: Record<string, any>;
  /** Every stdout line so far. */
  lines: string[];
  /** SIGTERM, wait for the exit, remove the data directory. */
  stop(): Promise<void>;
}

export async function startServe(): Promise<ServeChild> {
  const dataDir = mkdtempSync(join(tmpdir(), "bankgraph-serve-"));
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, ["bin/bankgraph.js", "serve"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, DEMO_EVENTS_INTERVAL_MS: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let buffered = "";
  const lines: string[] = [];
  try {
    const ready = await new Promise<Record<string, any>>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const complete = buffered.split("\n");
        buffered = complete.pop()!;
        for (const line of complete) {
          lines.push(line);
          const entry = JSON.parse(line) as Record<string, unknown>;
          if (entry["msg"] === "Bankgraph ready") resolve(entry);
        }
      });
      void exited.then((code) => reject(new Error(`serve exited (${code}) before it was ready: ${stderr}`)));
    });
    return { ready, lines, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
