/**
 * What a newcomer tries first: `npm start` (bankgraph serve, in-process mock banks and demo data)
 * prints `tryConnect`; in Chromium the demo messenger app starts a connect session, the person signs
 * in, picks TWO banks on the disclosure page, goes through each bank's own pages leaving one
 * account out each time (with Bankgraph's page between the banks), and lands back in the app,
 * which then reads exactly the accounts shared at both banks, over its own GraphQL token.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServe, type ServeChild } from "../support/serve-child.js";
import { bankLogin, expectAccessible, launchChromium, signIn } from "./connect-support.js";

let serve: ServeChild;
let ready: { tryConnect: string; mockBanks: Record<string, string> };
let browser: Browser;

beforeAll(async () => {
  serve = await startServe();
  ready = serve.ready as typeof ready;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
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
