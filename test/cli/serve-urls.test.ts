/**
 * `npm start` (bankgraph serve, in-process mock banks) tells a newcomer every address it needs —
 * gateway, subscriptions, playground, mock admin, each mock bank — in its "Bankgraph ready" line,
 * and each one answers. Its stdout is not a terminal here, so every line must be JSON (pino-pretty
 * is for terminals only).
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";

const ROOT = new URL("../..", import.meta.url).pathname;
const BANKS = ["chase", "wells_fargo", "citi", "us_bank", "paypal", "amex"];

let child: ChildProcessByStdio<null, Readable, Readable>;
let exited: Promise<number | null>;
let dataDir: string;
const lines: string[] = [];
let ready: Record<string, any>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "bankgraph-serve-"));
  child = spawn(process.execPath, ["bin/bankgraph.js", "serve"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, DEMO_EVENTS_INTERVAL_MS: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let buffered = "";
  ready = await new Promise((resolve, reject) => {
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
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

it("prints the gateway, subscriptions, playground, mock admin and every mock bank", () => {
  const origin = new URL(ready["url"]).origin;
  expect(ready).toMatchObject({
    url: `${origin}/graphql`,
    subscriptions: `${origin.replace(/^http/, "ws")}/graphql`,
    playground: `${origin}/playground`,
    mockAdmin: expect.stringMatching(/^http:\/\/[\w.]+:\d+$/),
  });
  expect(Object.keys(ready["mockBanks"]).sort()).toEqual([...BANKS].sort());
});

it("prints addresses that answer: the gateway, the playground, the mock admin (which lists the same banks), each bank", async () => {
  const gateway = await fetch(ready["url"], { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ __typename }"}' });
  expect(gateway.status).toBe(401);
  expect(((await gateway.json()) as any).errors[0].extensions.code).toBe("UNAUTHENTICATED");

  const playground = await fetch(ready["playground"]);
  expect(playground.status).toBe(200);
  expect(playground.headers.get("content-type")).toMatch(/^text\/html/);

  const admin = await fetch(`${ready["mockAdmin"]}/banks`);
  const listed = (await admin.json()) as Array<{ id: string; url: string }>;
  expect(Object.fromEntries(listed.map((bank) => [bank.id, bank.url]))).toEqual(ready["mockBanks"]);

  for (const url of Object.values(ready["mockBanks"] as Record<string, string>)) {
    const bank = await fetch(`${url}/no-such-path`);
    expect(bank.status).toBe(404);
    expect(await bank.json()).toEqual({ error: "not_found" });
  }
});

it("writes JSON lines when stdout is not a terminal", () => {
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
});
