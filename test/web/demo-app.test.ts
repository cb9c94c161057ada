/**
 * What a newcomer tries first: `npm start` (bankgraph serve, in-process mock banks and demo data)
 * prints `tryConnect`; in Chromium the demo messenger app starts a connect session, the person signs
 * in, picks TWO banks on the disclosure page, goes through each bank's own pages leaving one
 * account out each time (with Bankgraph's page between the banks), and lands back in the app,
 * which then reads exactly the accounts shared at both banks, over its own GraphQL token.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bankLogin, expectAccessible, launchChromium, signIn } from "./connect-support.js";

const ROOT = new URL("../..", import.meta.url).pathname;

let child: ChildProcessByStdio<null, Readable, Readable>;
let exited: Promise<number | null>;
let dataDir: string;
let ready: { tryConnect: string; mockBanks: Record<string, string> };
let browser: Browser;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "bankgraph-demo-app-"));
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
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry["msg"] === "Bankgraph ready") resolve(entry as unknown as typeof ready);
      }
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before it was ready: ${stderr}`)));
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

it("npm start's demo app: connect two banks in one session and see exactly the shared accounts", async () => {
  expect(ready.tryConnect).toMatch(/\/demo-app\/$/);
  const context = await browser.newContext();
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();

  await page.goto(ready.tryConnect);
  await expectAccessible(page, "demo app");
  await page.getByRole("button", { name: "Connect your bank accounts" }).click();
  await signIn(page, "alice");

  await page.getByRole("button", { name: "Continue to your bank" }).waitFor();
  await page.getByRole("checkbox", { name: "JPMorgan Chase" }).check();
  await page.getByRole("checkbox", { name: "PayPal" }).check();
  await page.getByRole("button", { name: "Continue to your bank" }).click();

  const shared: string[] = [];
  const leftOut: string[] = [];
  for (const [index, bank] of (["chase", "paypal"] as const).entries()) {
    const bankOrigin = new URL(ready.mockBanks[bank]!).origin;
    if (index > 0) {
      // The page between the banks: Bankgraph's own, saying where the person goes next.
      await expect(page.locator("h1").textContent()).resolves.toBe("Next: PayPal");
      await expectAccessible(page, "between banks");
      await page.getByRole("link", { name: "Continue to PayPal" }).click();
    }
    await page.waitForURL((u) => u.origin === bankOrigin);
    await bankLogin(page);
    await page.getByRole("button", { name: "Allow" }).click();
    await page.getByRole("checkbox").first().waitFor();
    const boxes = page.getByRole("checkbox");
    await boxes.nth((await boxes.count()) - 1).uncheck();
    const labels = await page.locator("label[for^='account-']").allTextContents();
    const masks = labels.map((label) => /(\d{4})\s*$/.exec(label.trim())![1]!);
    shared.push(...masks.slice(0, -1));
    leftOut.push(masks.at(-1)!);
    await page.getByRole("button", { name: "Share selected accounts" }).click();
  }

  await expect(page.locator("h1").textContent()).resolves.toBe("You are connected");
  await page.getByRole("link", { name: /^Return to / }).click();
  await page.waitForURL((u) => u.pathname === "/demo-app/callback");
  await expect(page.locator("h1").textContent()).resolves.toBe("Connected");
  await expectAccessible(page, "demo app callback");
  // The demo seed had shared every account of every bank with the demo app; at these two banks it
  // now sees only what was just chosen, not the account left out.
  const listed = (await page.locator("li").allTextContents()).filter((line) => /^(JPMorgan Chase|PayPal) · /.test(line));
  expect(listed.map((line) => /(\d{4})(?: —|$)/.exec(line.trim())?.[1]).sort(), listed.join("\n")).toEqual([...shared].sort());
  for (const mask of leftOut) expect(listed.join("\n")).not.toContain(mask);
  await context.close();
}, 240_000);
