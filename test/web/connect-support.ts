/**
 * The connect journey in Debian Chromium, shared by the journey tests: the app (over GraphQL with
 * its token) creates a connect session, the person walks Bankgraph's pages, the identity
 * provider's and the bank's own pages, and the browser lands on the app's redirect URI, which the
 * test answers itself (https://app.messenger.test is not a real host). Every request the browser
 * sends to Bankgraph is recorded, bodies included, so the tests can prove what never reached it.
 */
import { AxeBuilder } from "@axe-core/playwright";
import { mkdir } from "node:fs/promises";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { APP_REDIRECT_URI, type TestGateway } from "../support/gateway.js";

export const CHROMIUM = "/usr/bin/chromium";
export const SCREENSHOTS = new URL("../../docs/screenshots/", import.meta.url);
/** The identity provider's demo people (mocks/identity-provider/demo-users.ts). */
export const PEOPLE = { alice: "alice-signs-in", bob: "bob-signs-in" } as const;

export const launchChromium = () => chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });

export interface ConnectInput {
  purpose?: string;
  scopes?: string[];
  institutionIds?: string[];
  durationDays?: number;
  historyDays?: number;
  redirectUri?: string;
  state?: string;
  /** With payments:write (issue 16). */
  paymentLimits?: { currency: string; perPayment: string; dailyAmount: string; dailyCount: number; endsAt?: string };
}

export async function createConnectSession(t: TestGateway, userId: string, input: ConnectInput = {}) {
  const response = await t.gql<{ createConnectSession: { id: string; url: string; expiresAt: string } }>(
    `mutation($input: CreateConnectSessionInput!) { createConnectSession(input: $input) { id url expiresAt } }`,
    {
      input: {
        purpose: "ACCOUNT_OVERVIEW",
        scopes: ["accounts:read", "balances:read"],
        durationDays: 90,
        redirectUri: APP_REDIRECT_URI,
        state: `state-${Math.random().toString(36).slice(2)}`,
        ...input,
      },
    },
    await t.token(userId),
  );
  return response;
}

/** A browser context whose requests to Bankgraph are recorded and whose app redirect is answered here. */
export async function journeyBrowser(browser: Browser, t: TestGateway) {
  const context = await browser.newContext();
  // A step that never comes fails with what it waited for, well inside the test's own timeout.
  context.setDefaultTimeout(20_000);
  const toBankgraph: Array<{ url: string; method: string; body: string; headers: Record<string, string> }> = [];
  const origin = t.gateway.publicUrl;
  context.on("request", (request) => {
    if (request.url().startsWith(origin)) {
      toBankgraph.push({ url: request.url(), method: request.method(), body: request.postData() ?? "", headers: request.headers() });
    }
  });
  const appArrivals: URL[] = [];
  await context.route(`${new URL(APP_REDIRECT_URI).origin}/**`, async (route) => {
    appArrivals.push(new URL(route.request().url()));
    await route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Messenger</title><p>Back in the app.</p>" });
  });
  return { context, toBankgraph, appArrivals };
}

export async function signIn(page: Page, person: keyof typeof PEOPLE) {
  await page.getByLabel("Username").fill(person);
  await page.getByLabel("Password").fill(PEOPLE[person]);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** At the bank's own login page: log in with the bank's demo password. */
export async function bankLogin(page: Page, username = "alice", password = "pass_good") {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** No serious or critical accessibility violation on the page as it stands. */
export async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`);
  expect(bad, `${what} (${page.url()})`).toEqual([]);
}

export async function screenshot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`connect-${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}

export type { BrowserContext };
