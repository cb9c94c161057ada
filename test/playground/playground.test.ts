/**
 * The playground in a real browser: headless Debian Chromium (playwright-core) opens the page the
 * gateway serves, runs the dashboard example with the demo token and sees a balance and the demo's
 * consent error (Citi lacks transactions:read) — offline: no request leaves the gateway's origin,
 * and the strict Content-Security-Policy is never violated. Plus the HTTP contract: content types,
 * cache headers, only whitelisted files, and 404 in production.
 *
 * Needs /usr/bin/chromium, which `npm test`'s pretest (test/pretest.sh) installs when missing.
 * Without it this test FAILS, on purpose.
 */
import { decodeJwt } from "jose";
import { mkdir } from "node:fs/promises";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../src/demo/seed-demo.js";
import { encodeGlobalId } from "../../src/schema/global-id.js";
import { PLAYGROUND_CSP } from "../../src/playground/playground-page.js";
import { loadExampleOperations } from "../../src/playground/example-operations.js";
import { bankEvent, subscribersReady, targetWebhooks } from "../realtime/realtime-support.js";
import { personAtBank, startTestGateway, type TestGateway } from "../support/gateway.js";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOT = new URL("../artifacts/playground.png", import.meta.url);
const DECIMAL = /^-?\d+\.\d{2}$/;
/** Starting a second gateway (migrations on a fresh store) is slow on a busy CI machine. */
const GATEWAY_START_TIMEOUT_MS = 90_000;

let t: TestGateway;
let origin: string;

beforeAll(async () => {
  t = await startTestGateway();
  origin = new URL(t.url).origin;
  await seedDemo(t.gateway.services, { alice: personAtBank(), gatewayOrigin: origin });
  await targetWebhooks(t.mocks.adminUrl, t.gateway);
});
afterAll(() => t?.close());

/** The JSON configuration the page carries for playground.js. */
function pageConfig(html: string): { endpoint: string; defaultHeaders: string; tabs: Array<{ query: string; variables: string; headers: string }> } {
  const match = /<script type="application\/json" id="playground-config">(.*?)<\/script>/s.exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!);
}

function scriptAndStyleUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script src|link rel="stylesheet" href)="([^"]+)"/g)].map((m) => m[1]!);
}

describe("playground over HTTP", () => {
  it("serves the page with a strict CSP, no inline script, never cached", async () => {
    const response = await fetch(`${origin}/playground`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-security-policy")).toBe(PLAYGROUND_CSP);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await response.text();
    // Every script is external or a non-executable JSON block; no inline style either.
    for (const tag of html.match(/<script[^>]*>/g)!) expect(tag).toMatch(/ src="|type="application\/json"/);
    expect(html).not.toMatch(/<style|style="/);
    expect(scriptAndStyleUrls(html).every((url) => url.startsWith("/playground/assets/"))).toBe(true);
  });

  it("opens every example as a tab, the dashboard first, with demo tokens for alice", async () => {
    const config = pageConfig(await (await fetch(`${origin}/playground`)).text());
    const examples = await loadExampleOperations();
    expect(config.tabs).toHaveLength(examples.length);
    expect(config.tabs[0]!.query).toContain("query Dashboard");
    for (const example of examples) {
      const tab = config.tabs.find((candidate) => candidate.query === example.source)!;
      expect(tab, example.name).toBeDefined();
      const claims = decodeJwt(JSON.parse(tab.headers).Authorization.replace(/^Bearer /, ""));
      expect([claims.sub, claims["client_id"], claims["scope"]]).toEqual(["alice", "messenger-demo", example.token === "user" ? "consent:manage" : ""]);
    }
    expect(pageConfig(await (await fetch(`${origin}/playground`)).text()).tabs.find((tab) => tab.query.includes("AccountTransactions"))!.variables).toBe(
      JSON.stringify({ accountId: "<ID!>" }, null, 2),
    );
  });

  it("answers a browser at GET /graphql with the page, and API clients with GraphQL", async () => {
    const browser = await fetch(t.url, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" } });
    expect(browser.status).toBe(200);
    expect(await browser.text()).toContain('id="playground-config"');
    const api = await fetch(`${t.url}?query=${encodeURIComponent("{ institutions { id } }")}`, { headers: { accept: "text/html" } });
    expect(api.headers.get("content-type")).not.toContain("text/html");
  });

  it("serves exactly the whitelisted assets with their content types and cache headers", async () => {
    const urls = scriptAndStyleUrls(await (await fetch(`${origin}/playground`)).text());
    expect(urls.map((url) => url.split("/").pop()).sort()).toEqual(
      [
        "graphiql.min.css",
        "graphiql.min.js",
        "graphql-ws.min.js",
        "playground.css",
        "playground.js",
        "react-dom.production.min.js",
        "react.production.min.js",
      ].sort(),
    );
    for (const url of urls) {
      const response = await fetch(`${origin}${url}`);
      expect(response.status, url).toBe(200);
      expect(response.headers.get("content-type"), url).toBe(url.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const vendor = /\/(react|react-dom|graphiql|graphql-ws)-\d+\.\d+\.\d+\//.test(url);
      expect(response.headers.get("cache-control"), url).toBe(vendor ? "public, max-age=31536000, immutable" : "no-cache");
      expect(response.headers.get("etag")).toEqual(expect.any(String));
    }
    for (const probe of [
      "/playground/assets/react-18.3.1/react.development.js",
      "/playground/assets/..%2F..%2Fpackage.json",
      "/playground/assets/%2e%2e/%2e%2e/package.json",
      "/playground/assets/",
    ]) {
      expect((await fetch(`${origin}${probe}`)).status, probe).toBe(404);
    }
  });

  it(
    "has no demo token without demo data",
    async () => {
      const plain = await startTestGateway({ env: { DEMO_DATA: "false" }, cluster: t.mocks });
      try {
        const config = pageConfig(await (await fetch(`${new URL(plain.url).origin}/playground`)).text());
        expect(config.defaultHeaders).toBe(JSON.stringify({ Authorization: "Bearer <npx bankgraph token --user alice --client messenger-demo>" }, null, 2));
        expect(config.tabs.every((tab) => !/Bearer ey/.test(tab.headers))).toBe(true);
      } finally {
        await plain.close();
      }
    },
    GATEWAY_START_TIMEOUT_MS,
  );

  it(
    "does not exist in production",
    async () => {
      const production = await startTestGateway({
        env: {
          NODE_ENV: "production",
          JWT_SECRET: "p".repeat(48),
          TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
          TRUSTED_DOCUMENTS_ONLY: "false",
        },
        cluster: t.mocks,
      });
      try {
        const prodOrigin = new URL(production.url).origin;
        expect((await fetch(`${prodOrigin}/playground`)).status).toBe(404);
        expect((await fetch(`${prodOrigin}/playground/assets/playground.js`)).status).toBe(404);
        const page = await fetch(production.url, { headers: { accept: "text/html" } });
        expect(page.headers.get("content-type")).not.toContain("text/html");
        expect(await page.text()).not.toContain("playground-config");
      } finally {
        await production.close();
      }
    },
    GATEWAY_START_TIMEOUT_MS,
  );
});

describe("playground in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    // No skip: npm test's pretest installs Debian's chromium; a missing browser is a failure, not a pass.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  }, 60_000);
  afterAll(() => browser?.close());

  it("runs the dashboard and shows a balance and Citi's consent error, offline and within the CSP", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const hosts = new Set<string>();
    const failed: string[] = [];
    const problems: string[] = [];
    page.on("request", (request) => hosts.add(new URL(request.url()).origin));
    page.on("websocket", (socket) => hosts.add(new URL(socket.url()).origin));
    page.on("requestfailed", (request) => failed.push(request.url()));
    page.on("response", (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    page.on("console", (message) => {
      if (message.type() === "error" || /Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));

    await page.goto(`${origin}/playground`);
    await page.locator(".graphiql-execute-button").waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator(".graphiql-tab").count()).toBeGreaterThan(1);
    await page.locator(".graphiql-execute-button").click();

    // The result pane is a CodeMirror editor (it renders only visible lines): read its full value.
    const resultText = () => page.evaluate<string>(`document.querySelector(".result-window .CodeMirror")?.CodeMirror?.getValue() ?? ""`);
    await expect.poll(resultText, { timeout: 30_000 }).toContain('"accounts"');
    const result = JSON.parse(await resultText());

    const accounts: any[] = result.data.accounts;
    const balances = accounts.filter((a) => a?.balance).map((a) => a.balance.current.amount);
    expect(balances.length).toBeGreaterThan(0);
    for (const amount of balances) expect(amount).toMatch(DECIMAL);
    // The demo's consent story, exactly: Citi's transactions withheld (no transactions:read) on every
    // Citi account, and American Express's accounts withheld (its consent expired a while ago).
    const denials = (result.errors as any[]).filter((e) => e.extensions.code === "UNAUTHORIZED_FIELD_OR_TYPE");
    const citiAccounts = accounts.flatMap((a, index) => (a?.institution.id === "citi" ? [index] : []));
    expect(citiAccounts.length).toBeGreaterThan(0);
    const amex = denials.find((e) => e.extensions.institutionId === "amex");
    // Institution, then the account's index as a number (10 after 9).
    const byInstitutionThenPath = (a: any, b: any) => a.institutionId.localeCompare(b.institutionId) || a.path[1] - b.path[1];
    // Each denial names the consent that decided it: the demo app's consent on that bank's link.
    const deciding = await t.gateway.services.consents.linksAndEffectiveConsents("alice", "messenger-demo");
    const consentAt = (institutionId: string) => {
      const link = deciding.links.find((l) => l.institutionId === institutionId)!;
      return encodeGlobalId("Consent", link.id, deciding.consents.get(link.id)!.consent.id);
    };
    expect(denials.map((e) => ({ path: e.path, ...e.extensions })).sort(byInstitutionThenPath)).toEqual([
      {
        path: ["accounts", amex?.path[1]],
        code: "UNAUTHORIZED_FIELD_OR_TYPE",
        requiredScopes: [["accounts:read"]],
        institutionId: "amex",
        reason: "EXPIRED",
        consentId: consentAt("amex"),
      },
      ...citiAccounts.map((index) => ({
        path: ["accounts", index, "transactions"],
        code: "UNAUTHORIZED_FIELD_OR_TYPE",
        requiredScopes: [["transactions:read"]],
        institutionId: "citi",
        reason: "NOT_GRANTED",
        consentId: consentAt("citi"),
      })),
    ]);
    expect(accounts[amex.path[1]]).toBeNull();
    // The visible pane shows the consent error too (errors come first in the response).
    await expect.poll(() => page.locator(".result-window").innerText()).toContain("UNAUTHORIZED_FIELD_OR_TYPE");

    await mkdir(new URL(".", SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });

    // Subscriptions: the BalanceUpdated tab listens over a WebSocket to the same host.
    await page.locator(".graphiql-tab", { hasText: "BalanceUpdated" }).click();
    const queryText = () => page.evaluate<string>(`document.querySelector(".graphiql-query-editor .CodeMirror")?.CodeMirror?.getValue() ?? ""`);
    await expect.poll(queryText, { timeout: 15_000 }).toContain("subscription BalanceUpdated");
    // GraphiQL settles the editor's operation name after its text (debounced, later still on a busy
    // machine): run only once it names the subscription, else the previous tab's operation is sent.
    const operationName = () => page.evaluate<string | null>(`document.querySelector(".graphiql-query-editor .CodeMirror")?.CodeMirror?.operationName ?? null`);
    await expect.poll(operationName, { timeout: 15_000 }).toBe("BalanceUpdated");
    const socket = page.waitForEvent("websocket", { timeout: 15_000 });
    await page.locator(".graphiql-execute-button").click();
    await socket;
    await subscribersReady(t.gateway, "alice", 1, 30_000);
    await bankEvent(t.mocks.adminUrl, "paypal", { kind: "balance_changed" });
    await expect.poll(resultText, { timeout: 30_000 }).toContain('"balanceUpdated"');
    const update = JSON.parse(await resultText());
    expect(update.errors).toBeUndefined();
    expect(update.data.balanceUpdated.balance.current.amount).toMatch(DECIMAL);
    await page.locator(".graphiql-execute-button").click(); // stop listening

    expect([...hosts].sort()).toEqual([origin, origin.replace(/^http/, "ws")].sort());
    expect(failed).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
