/**
 * The person's sign-in on Bankgraph's pages, in Debian Chromium: Bankgraph → the mock identity
 * provider's own page → back, signed in, with a server-side session (HttpOnly, SameSite=Lax cookie
 * holding only a random id). Wrong password, Cancel, a replayed or forged callback: refused, no
 * session. Every form carries the session's CSRF token; a POST without it changes nothing.
 */
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pageCsp } from "../../src/web/page-security.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";

let t: TestGateway;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  t = await startTestGateway();
  origin = t.gateway.publicUrl;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const sessionRows = async () => (await t.gateway.services.db.query<{ user_id: string | null }>("SELECT user_id FROM web_sessions")).map((r) => r.user_id);

describe("sign-in", () => {
  it("signs alice in at the identity provider and back, with a server-side session", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/signin?return_to=${encodeURIComponent("/signin/whoami")}`);
    expect(new URL(page.url()).origin).toBe(t.mocks.identity.issuer);
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill("alice-signs-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${origin}/signin/whoami`);
    expect(await page.textContent("main")).toContain("alice");
    // Cookies are per host, not per port: the provider's own cookies on 127.0.0.1 are in the jar too.
    const cookie = (await context.cookies(origin)).find((c) => c.name === "bankgraph_session");
    expect(cookie).toMatchObject({ name: "bankgraph_session", httpOnly: true, sameSite: "Lax" });
    expect(cookie!.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await sessionRows()).toContain("alice");
    // The store keeps the cookie's hash, never the cookie.
    const stored = await t.gateway.services.db.query<{ id_hash: string }>("SELECT id_hash FROM web_sessions");
    expect(stored.map((r) => r.id_hash)).not.toContain(cookie!.value);
    await context.close();
  });

  it("refuses a wrong password on the provider's page and Bankgraph gets no session", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/signin?return_to=/signin/whoami`);
    await page.getByLabel("Username").fill("alice");
    await page.getByLabel("Password").fill("not-her-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect(await page.getByRole("alert").textContent()).toContain("do not match");
    expect(new URL(page.url()).origin).toBe(t.mocks.identity.issuer);
    await context.close();
  });

  it("a callback replayed, or with a forged state, is refused and signs no one in", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    let callback = "";
    page.on("request", (request) => {
      if (request.url().startsWith(`${origin}/signin/callback`)) callback = request.url();
    });
    await page.goto(`${origin}/signin?return_to=/signin/whoami`);
    await page.getByLabel("Username").fill("bob");
    await page.getByLabel("Password").fill("bob-signs-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${origin}/signin/whoami`);
    const replay = await page.goto(callback);
    expect(replay!.status()).toBe(400);
    expect(await page.textContent("h1")).toBe("This sign-in has expired");

    await context.close();

    // A fresh browser starts a sign-in and is answered with another state: refused, no one signed in.
    const other = await browser.newContext();
    const second = await other.newPage();
    await second.goto(`${origin}/signin?return_to=/signin/whoami`);
    expect(new URL(second.url()).origin).toBe(t.mocks.identity.issuer);
    const forged = new URL(callback);
    forged.searchParams.set("state", "forged-state");
    const response = await second.goto(forged.href);
    expect(response!.status()).toBe(400);
    expect(await second.textContent("h1")).toBe("Sign-in failed");
    expect(await second.textContent("main")).toContain("did not match");
    await second.goto(`${origin}/signin/whoami`);
    expect(new URL(second.url()).origin, "still not signed in: sent to sign in").toBe(t.mocks.identity.issuer);
    await other.close();
  });

  it("every page carries the strict CSP, and a form POST without the CSRF token changes nothing", async () => {
    const response = await fetch(`${origin}/signin/callback?code=x&state=y`);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-security-policy")).toBe(pageCsp());
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(pageCsp()).toBe("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    const before = await sessionRows();
    const signOut = await fetch(`${origin}/signout`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "" });
    expect(signOut.status).toBe(403);
    expect(await sessionRows()).toEqual(before);
  });
});
