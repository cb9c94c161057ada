/**
 * The person's dashboard in Debian Chromium: alice signs in at the identity provider and sees
 * every app × bank with its scopes in words, the accounts (masked), last access of a read the app
 * made a moment before, the access history and the consent's events, in her time zone; she stops
 * one consent, everything of one app, and unlinks a bank — each after one confirmation that says
 * the consequence — and the app's next read is refused. bob reaches none of alice's ids by any
 * URL or form; an app's bearer token opens no page. Every page passes axe-core; screenshots go
 * to docs/screenshots/ for docs/connections.md.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsentActor, ConsentStatus } from "../../src/domain/consent.js";
import { LinkStatus } from "../../src/domain/link.js";
import { PATIENT_ENV } from "../support/dashboard.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { expectAccessible, launchChromium } from "./connect-support.js";
import { BALANCES_READ, expectRevokedDenial, HELPER_APP, internalId, link, personFor, screenshot, signedInAt } from "./connections-support.js";

let t: TestGateway;
let browser: Browser;
let alice: TestUser;
let aliceForHelper: TestUser;
let bob: TestUser;
/** Internal ids of alice's consents and links. */
const ids = { messengerChase: "", messengerWells: "", helperChase: "", wellsLink: "", bobChase: "" };

beforeAll(async () => {
  t = await startTestGateway({ env: PATIENT_ENV, mocks: { banks: ["chase", "wells_fargo"] } });
  await t.registerApp(HELPER_APP);
  browser = await launchChromium();
  alice = await personFor(t, "alice");
  aliceForHelper = await personFor(t, "alice", HELPER_APP);
  await link(t, alice, "chase", "alice");
  await link(t, alice, "wells_fargo", "alice");
  aliceForHelper.links = alice.links;
  ids.messengerChase = internalId(await t.grant(alice, "chase", ["accounts:read", "balances:read"]));
  ids.messengerWells = internalId(await t.grant(alice, "wells_fargo", ["accounts:read", "transactions:read"], { durationDays: 20 }));
  ids.helperChase = internalId(await t.grant(aliceForHelper, "chase", ["accounts:read"]));
  ids.wellsLink = internalId(alice.links["wells_fargo"]!);
  bob = await personFor(t, "bob");
  await link(t, bob, "chase", "bob");
  ids.bobChase = internalId(await t.grant(bob, "chase", ["accounts:read"]));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const consentOf = (id: string, userId = "alice") => t.gateway.services.consents.getForUser(id, userId);
const page404 = async (page: Page, path: string) => {
  const response = await page.goto(`${t.gateway.publicUrl}${path}`);
  return { status: response!.status(), heading: await page.locator("h1").textContent() };
};

describe("/connections in Chromium", { timeout: 120_000 }, () => {
  let page: Page;

  it("an app's bearer token opens no page: without the session cookie it is sent to sign in", async () => {
    for (const path of ["/connections", `/connections/consents/${ids.messengerChase}`, `/connections/consents/${ids.messengerChase}/stop`]) {
      const response = await fetch(`${t.gateway.publicUrl}${path}`, { headers: { authorization: `Bearer ${alice.app}` }, redirect: "manual" });
      expect(response.status, path).toBe(303);
      expect(response.headers.get("location"), path).toBe(`/signin?return_to=${encodeURIComponent(path)}`);
    }
    const post = await fetch(`${t.gateway.publicUrl}/connections/consents/${ids.messengerChase}/stop`, {
      method: "POST",
      headers: { authorization: `Bearer ${alice.app}`, "content-type": "application/x-www-form-urlencoded" },
      body: "csrf_token=x",
      redirect: "manual",
    });
    expect(post.status).toBe(403);
    expect((await consentOf(ids.messengerChase)).status).toBe(ConsentStatus.AUTHORIZED);
  });

  it("alice signs in and sees every app × bank: scopes in words, masked accounts, last access of the app's read a moment before, in her time zone", async () => {
    const read = await t.gql(BALANCES_READ, {}, alice.app);
    expect(read.body.errors).toBeUndefined();
    const masks = (read.body.data.accounts as Array<{ mask: string; institution: { id: string } }>)
      .filter((a) => a.institution.id === "chase")
      .map((a) => a.mask.slice(-4));
    expect(masks.length).toBeGreaterThan(0);

    page = await signedInAt(browser, t, "alice");
    await expect(page.locator("h1").textContent()).resolves.toBe("Your connections");
    const messengerChase = page.getByRole("article", { name: "Messenger (test) at JPMorgan Chase" });
    const text = (await messengerChase.textContent())!;
    for (const words of ["Sharing", "Which accounts you have", "Account balances", "show you your accounts and balances in one place"])
      expect(text).toContain(words);
    expect(text).not.toContain("Transactions");
    expect(text).toMatch(/History of this permission[\s\S]*Asked for access by the app\.[\s\S]*Allowed by you\./);
    for (const mask of masks) expect(text).toContain(`••${mask}`);
    // The read just made, in alice's zone (America/New_York, from the identity provider's zoneinfo).
    expect(text).toMatch(/Last accessed\s*\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M E[SD]T/);
    expect(await page.getByRole("article", { name: "Messenger (test) at Wells Fargo" }).textContent()).toMatch(
      /Transactions[\s\S]*Ends within 30 days[\s\S]*Last accessed\s*Never/,
    );
    expect(await page.getByRole("article", { name: `${HELPER_APP} at JPMorgan Chase` }).textContent()).toContain("Which accounts you have");
    expect(await page.locator("main").textContent()).not.toContain("Bob");
    expect(await page.getByRole("img", { name: "Reads per day by Messenger (test)" }).count()).toBe(1);
    const messenger = page.getByRole("region", { name: "Messenger (test)" });
    expect(await messenger.locator("figcaption").textContent()).toMatch(
      /^Messenger \(test\) read your data 1 time in the last 30 days, most on \w{3} \d{1,2} \(1\)\.$/,
    );
    expect(await page.getByRole("region", { name: HELPER_APP }).locator("figcaption").textContent()).toBe(`${HELPER_APP} read nothing in the last 30 days.`);
    await expectAccessible(page, "dashboard");
    await screenshot(page, "1-dashboard");
  });

  it("the consent's page shows the read (when, which data, which operation) and its events with who did them", async () => {
    await page.getByRole("link", { name: "Access history and details with Messenger (test) at JPMorgan Chase" }).click();
    await page.waitForURL(`**/connections/consents/${ids.messengerChase}`);
    const rows = page.locator("table tbody tr");
    await expect(rows.count()).resolves.toBe(1);
    const row = (await rows.first().textContent())!;
    expect(row).toContain("DashboardBalances");
    expect(row).toContain("Account balances");
    const history = (await page.locator("ol").textContent())!;
    expect(history).toMatch(/Asked for access by the app\.[\s\S]*Allowed by you\./);
    expect(await page.getByRole("link", { name: /^Receipt/ }).getAttribute("href")).toBe(`/connections/consents/${ids.messengerChase}/receipt`);
    expect(await page.getByRole("link", { name: /^Renew/ }).getAttribute("href")).toBe(`/connections/consents/${ids.messengerChase}/renew`);
    await expectAccessible(page, "consent page");
    await screenshot(page, "2-consent");
  });

  it("the access history pages through many reads with Newer / Older links (keyset, no script)", async () => {
    for (let i = 0; i < 22; i++) expect((await t.gql(BALANCES_READ, {}, alice.app)).body.errors).toBeUndefined();
    await page.reload();
    await expect(page.locator("table tbody tr").count()).resolves.toBe(20);
    expect(await page.getByRole("link", { name: "Newer reads" }).count()).toBe(0);
    await page.getByRole("link", { name: "Older reads" }).click();
    await expect(page.locator("table tbody tr").count()).resolves.toBe(3);
    expect(await page.getByRole("link", { name: "Older reads" }).count()).toBe(0);
    await page.getByRole("link", { name: "Newer reads" }).click();
    await expect(page.locator("table tbody tr").count()).resolves.toBe(20);
    await expectAccessible(page, "consent page, older reads");
    const bad = await page404(page, `/connections/consents/${ids.messengerChase}?older=not-a-cursor`);
    expect(bad.status).toBe(400);
  });

  it("her time zone can be changed on the page (kept on the server-side session)", async () => {
    await page.goto(`${t.gateway.publicUrl}/connections`);
    await page.getByLabel("Times are shown in").selectOption("Europe/London");
    await page.getByRole("button", { name: "Change time zone" }).click();
    await page.waitForURL(`${t.gateway.publicUrl}/connections`);
    expect(await page.getByRole("article", { name: "Messenger (test) at JPMorgan Chase" }).textContent()).toMatch(
      /Last accessed\s*\w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M GMT/,
    );
    await page.getByLabel("Times are shown in").selectOption("America/New_York");
    await page.getByRole("button", { name: "Change time zone" }).click();
    await page.waitForURL(`${t.gateway.publicUrl}/connections`);
  });

  it("Stop sharing: one confirmation that states the consequence, then the consent is REVOKED (actor USER) and the app's next read is denied", async () => {
    await page.getByRole("link", { name: "Stop sharing with Messenger (test) at JPMorgan Chase" }).click();
    await expect(page.locator(".consequence").textContent()).resolves.toBe(
      "Messenger (test) will no longer see which accounts you have and account balances at JPMorgan Chase. This takes effect immediately.",
    );
    await expectAccessible(page, "confirm stop sharing");
    await screenshot(page, "3-confirm-stop");
    expect((await consentOf(ids.messengerChase)).status, "nothing changes before the confirmation").toBe(ConsentStatus.AUTHORIZED);
    await page.getByRole("button", { name: "Stop sharing" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Sharing stopped");
    // The page answered: the consent is already REVOKED, by the person.
    const stopped = await consentOf(ids.messengerChase);
    expect(stopped.status).toBe(ConsentStatus.REVOKED);
    expect(stopped.revokedBy).toBe(ConsentActor.USER);
    await expectAccessible(page, "sharing stopped");
    await screenshot(page, "4-stopped");

    expectRevokedDenial(await t.gql(`query { accounts(institutionIds: ["chase"]) { mask } }`, {}, alice.app), "chase");
    // The helper app's own consent at Chase is untouched.
    expect((await consentOf(ids.helperChase)).status).toBe(ConsentStatus.AUTHORIZED);

    await page.goto(`${t.gateway.publicUrl}/connections`);
    const chase = page.getByRole("article", { name: "Messenger (test) at JPMorgan Chase" });
    expect(await chase.textContent()).toContain("Stopped since");
    expect(await chase.getByRole("link", { name: /^Stop sharing/ }).count()).toBe(0);
    await page.goto(`${t.gateway.publicUrl}/connections/consents/${ids.messengerChase}`);
    expect(await page.locator("ol").textContent()).toMatch(/Stopped by you\./);
  });

  it("bob signed in reaches none of alice's ids by any URL or form: each answers 404 like an id that does not exist", async () => {
    const bobPage = await signedInAt(browser, t, "bob");
    const main = (await bobPage.locator("main").textContent())!;
    expect(main).toContain("Chase");
    expect(main).not.toContain(HELPER_APP);
    expect(main).not.toContain("Wells Fargo");
    const none = "00000000-0000-4000-8000-000000000000";
    const paths = (consent: string, link: string, app: string) => [
      `/connections/consents/${consent}`,
      `/connections/consents/${consent}/stop`,
      `/connections/links/${link}/unlink`,
      `/connections/apps/${app}/stop`,
    ];
    const missing = [];
    for (const p of paths(none, none, "no-such-app")) missing.push(await page404(bobPage, p));
    const alices = [];
    for (const p of paths(ids.helperChase, ids.wellsLink, HELPER_APP)) alices.push(await page404(bobPage, p));
    for (const [i, result] of alices.entries()) {
      expect(result, paths(ids.helperChase, ids.wellsLink, HELPER_APP)[i]).toEqual({ status: 404, heading: "Not found" });
      expect(result).toEqual(missing[i]);
    }
    // Forms: bob's own, valid CSRF token on alice's ids changes nothing.
    await bobPage.goto(`${t.gateway.publicUrl}/connections`);
    const token = await bobPage.locator("input[name=csrf_token]").first().getAttribute("value");
    for (const action of [
      `/connections/consents/${ids.helperChase}/stop`,
      `/connections/links/${ids.wellsLink}/unlink`,
      `/connections/apps/${HELPER_APP}/stop`,
    ]) {
      const response = await bobPage.request.post(`${t.gateway.publicUrl}${action}`, { form: { csrf_token: token! }, maxRedirects: 0 });
      expect(response.status(), action).toBe(404);
    }
    expect((await consentOf(ids.helperChase)).status).toBe(ConsentStatus.AUTHORIZED);
    expect((await t.gateway.services.links.forUser(ids.wellsLink, "alice"))!.status).toBe(LinkStatus.ACTIVE);
    // A POST without the session's token is refused before anything is looked up.
    const forged = await bobPage.request.post(`${t.gateway.publicUrl}/connections/consents/${ids.bobChase}/stop`, { form: { csrf_token: "forged" } });
    expect(forged.status()).toBe(403);
    expect((await consentOf(ids.bobChase, "bob")).status).toBe(ConsentStatus.AUTHORIZED);
    await expectAccessible(bobPage, "not found");
    await bobPage.context().close();
  });

  it("Stop everything for one app: every open consent of that app is REVOKED, other apps keep theirs", async () => {
    await page.goto(`${t.gateway.publicUrl}/connections`);
    await page.getByRole("link", { name: `Stop everything for ${HELPER_APP}` }).click();
    await expect(page.locator(".consequence").textContent()).resolves.toBe(
      `${HELPER_APP} will no longer see any of your data at JPMorgan Chase. This takes effect immediately.`,
    );
    await expectAccessible(page, "confirm stop app");
    await page.getByRole("button", { name: `Stop everything for ${HELPER_APP}` }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe(`Everything stopped for ${HELPER_APP}`);
    expect((await consentOf(ids.helperChase)).status).toBe(ConsentStatus.REVOKED);
    expect((await consentOf(ids.messengerWells)).status).toBe(ConsentStatus.AUTHORIZED);
    expectRevokedDenial(await t.gql(`query { accounts(institutionIds: ["chase"]) { mask } }`, {}, aliceForHelper.app), "chase");
  });

  it("Unlink a bank for all apps: the link is REVOKED with its consents, and no app reads it", async () => {
    await page.goto(`${t.gateway.publicUrl}/connections`);
    await page.getByRole("link", { name: "Unlink Wells Fargo for all apps" }).click();
    await expect(page.locator(".consequence").textContent()).resolves.toContain(
      "Messenger (test) will no longer see any of your data at Wells Fargo, and Bankgraph gives up its access there.",
    );
    await expectAccessible(page, "confirm unlink");
    await screenshot(page, "5-confirm-unlink");
    await page.getByRole("button", { name: "Unlink Wells Fargo" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Wells Fargo unlinked");
    expect((await t.gateway.services.links.forUser(ids.wellsLink, "alice"))!.status).toBe(LinkStatus.REVOKED);
    expect((await consentOf(ids.messengerWells)).status).toBe(ConsentStatus.REVOKED);
    const read = await t.gql(`query { accounts(institutionIds: ["wells_fargo"]) { mask } }`, {}, alice.app);
    expect(read.body.data?.accounts ?? []).toEqual([]);
    await page.goto(`${t.gateway.publicUrl}/connections`);
    expect(await page.getByRole("link", { name: "Unlink Wells Fargo for all apps" }).count()).toBe(0);
    await page.goto(`${t.gateway.publicUrl}/connections/consents/${ids.messengerWells}`);
    expect(await page.locator("ol").textContent()).toMatch(/Stopped by you\. You unlinked the bank\./);
    await expectAccessible(page, "consent after unlink");
    await page.context().close();
  });
});
