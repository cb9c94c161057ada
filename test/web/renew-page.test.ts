/**
 * The renew page in Debian Chromium: alice signs in at the identity provider, reads what stays the
 * same and the new end date in plain words, confirms (a CSRF-protected form, no JavaScript needed)
 * and is sent back to /connections; the consent keeps its id with the new end date, RENEWED is on
 * record, and the page now states the new date. bob, signed in, gets the same 404 for alice's
 * consent as for one that does not exist. axe-core: no serious or critical violation. Screenshots
 * go to docs/screenshots/ for docs/renewal.md.
 */
import { mkdir } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DAY_MS, ManualClock } from "../../src/clock.js";
import { LinkStatus } from "../../src/domain/link.js";
import { decodeGlobalId, encodeGlobalId } from "../../src/schema/global-id.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";
import { expectAccessible, launchChromium, SCREENSHOTS, signIn } from "./connect-support.js";

// The consent is granted 40 days in the past; the sign-in then happens at the real time, which the
// identity provider's tokens are stamped with.
const clock = new ManualClock(new Date(Date.now() - 40 * DAY_MS));
const DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "long", timeZone: "UTC" });
let t: TestGateway;
let browser: Browser;

beforeAll(async () => {
  t = await startTestGateway({ clock, mocks: { banks: ["chase"] } });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** alice (the identity provider's alice) with chase linked at the bank's own pages. */
async function alice(): Promise<TestUser> {
  const outcome = await t.linkAtBank("alice", "chase");
  if (outcome.status !== "LINKED") throw new Error(`link failed: ${outcome.error}`);
  return {
    userId: "alice",
    app: await t.token("alice"),
    user: await t.token("alice", { scopes: ["consent:manage"] }),
    links: { chase: encodeGlobalId("Link", outcome.link.id) },
    consents: {},
  };
}

async function shot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`renew-${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}

it("alice renews on the page: same consent, new end date in plain words, back to /connections; bob gets 404", async () => {
  const user = await alice();
  const id = await t.grant(user, "chase", ["accounts:read", "balances:read"], { durationDays: 90 });
  const consentId = decodeGlobalId(id)!.parts[1]!;
  const path = `/connections/consents/${consentId}/renew`;
  clock.set(new Date(Date.now()));
  const granted = await t.gql("query { consents { expiresAt } }", {}, user.user);
  const oldEnd = DATE.format(new Date(granted.body.data.consents[0].expiresAt));
  const newEnd = DATE.format(new Date(clock.now().getTime() + 90 * DAY_MS));

  const context = await browser.newContext();
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(`${t.gateway.publicUrl}${path}`);
  expect(new URL(page.url()).origin, "sent to the identity provider").toBe(t.mocks.identity.issuer);
  await signIn(page, "alice");
  await page.waitForURL(`${t.gateway.publicUrl}${path}`);

  await expect(page.locator("h1").textContent()).resolves.toBe("Keep sharing with Messenger (test)?");
  const main = (await page.locator("main").textContent())!.replace(/\s+/g, " ");
  for (const words of [
    `until ${oldEnd}`,
    "Which accounts you have",
    "Account balances",
    "the same data, the same accounts, the same purpose",
    `end on ${newEnd} instead`,
  ]) {
    expect(main, words).toContain(words);
  }
  await expectAccessible(page, "renew page");
  await shot(page, "1-confirm");

  // Keyboard only: the confirm button is reachable and pressing Enter submits the form.
  const confirm = page.getByRole("button", { name: `Renew until ${newEnd}` });
  await confirm.focus();
  await Promise.all([page.waitForURL(`${t.gateway.publicUrl}/connections`), page.keyboard.press("Enter")]);

  const consents = await t.gql("query { consents { id status expiresAt } }", {}, user.user);
  expect(consents.body.data.consents).toEqual([{ id, status: "AUTHORIZED", expiresAt: new Date(clock.now().getTime() + 90 * DAY_MS).toISOString() }]);
  const events = await t.gql("query($id: ID!) { consentEvents(consentId: $id) { nodes { type actor } } }", { id }, user.user);
  expect(events.body.data.consentEvents.nodes.map((e: { type: string }) => e.type)).toEqual(["REQUESTED", "AUTHORIZED", "RENEWED"]);

  await page.goto(`${t.gateway.publicUrl}${path}`);
  expect((await page.locator("main").textContent())!.replace(/\s+/g, " ")).toContain(`until ${newEnd}`);

  // The bank's grant stops holding: the page says so before anything is confirmed, and offers no form.
  const linkId = decodeGlobalId(user.links["chase"]!)!.parts[0]!;
  await t.gateway.services.links.setStatus(linkId, LinkStatus.LOGIN_REQUIRED);
  const refused = await page.goto(`${t.gateway.publicUrl}${path}`);
  expect(refused!.status()).toBe(409);
  await expect(page.locator("h1").textContent()).resolves.toBe("Reconnect JPMorgan Chase first");
  expect(await page.locator("form").count()).toBe(0);
  await expectAccessible(page, "renew page, bank grant ended");
  await t.gateway.services.links.setStatus(linkId, LinkStatus.ACTIVE);
  await context.close();

  // bob: alice's consent answers like one that does not exist.
  const bobs = await browser.newContext();
  bobs.setDefaultTimeout(20_000);
  const bobPage = await bobs.newPage();
  await bobPage.goto(`${t.gateway.publicUrl}${path}`);
  await signIn(bobPage, "bob");
  await bobPage.waitForURL(`${t.gateway.publicUrl}${path}`);
  const forBob = await bobPage.request.get(`${t.gateway.publicUrl}${path}`);
  const missing = await bobPage.request.get(`${t.gateway.publicUrl}/connections/consents/00000000-0000-4000-8000-000000000000/renew`);
  expect([forBob.status(), missing.status()]).toEqual([404, 404]);
  await expect(bobPage.locator("h1").textContent()).resolves.toBe("We could not find that connection");
  expect(await bobPage.locator("main").textContent()).not.toContain("Messenger");
  await expectAccessible(bobPage, "renew page, not found");
  await bobs.close();
}, 180_000);
