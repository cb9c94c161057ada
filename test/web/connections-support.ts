/**
 * Fixtures of the /connections suites: a person with the identity provider's fixed id (alice,
 * bob) whose banks are linked through the banks' own pages and whose apps hold consents, the app
 * reading over GraphQL with its token, and the person's browser signed in on Bankgraph's pages.
 */
import { mkdir } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import { decodeGlobalId } from "../../src/schema/global-id.js";
import { APP, type GraphQLResponse, type TestGateway, type TestUser } from "../support/gateway.js";
import { SCREENSHOTS, signIn, type PEOPLE } from "./connect-support.js";

/** A second registered app, so the dashboard has more than one. */
export const HELPER_APP = "budget-helper";

/** The person `userId` (an identity-provider sub) as the harness's TestUser, for `app` (default the test app). */
export async function personFor(t: TestGateway, userId: string, app: string = APP): Promise<TestUser> {
  return {
    userId,
    app: await t.token(userId, { client: app }),
    user: await t.token(userId, { client: app, scopes: ["consent:manage"] }),
    links: {},
    consents: {},
  };
}

/** Links `institutionId` for the person as bank customer `customer`; the link's global id. */
export async function link(t: TestGateway, person: TestUser, institutionId: string, customer: string): Promise<string> {
  return t.linkAs(person, institutionId, customer);
}

/** The internal id behind a global id (what /connections URLs carry): a Consent's is (link, consent), so the last part. */
export const internalId = (globalId: string): string => decodeGlobalId(globalId)!.parts.at(-1)!;

/** A fresh browser context signed in as `person` on the gateway's pages, at /connections. */
export async function signedInAt(browser: Browser, t: TestGateway, person: keyof typeof PEOPLE): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await page.goto(`${t.gateway.publicUrl}/connections`);
  await signIn(page, person);
  await page.waitForURL(`${t.gateway.publicUrl}/connections`);
  return page;
}

export async function screenshot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: new URL(`connections-${name}.png`, SCREENSHOTS).pathname, fullPage: true });
}

/** An app's read of balances, named so the access history can show the operation. */
export const BALANCES_READ = `query DashboardBalances { accounts(institutionIds: ["chase"]) { mask institution { id } balance { current { amount } } } }`;

/** The app's read is denied at that bank because the consent was revoked: no account, a REVOKED denial. */
export function expectRevokedDenial(read: GraphQLResponse, institutionId: string) {
  expect((read.body.data?.accounts ?? []).filter((a: unknown) => a !== null)).toEqual([]);
  expect(read.body.errors?.map((e) => [e.extensions?.["code"], e.extensions?.["reason"], e.extensions?.["institutionId"]])).toContainEqual([
    "UNAUTHORIZED_FIELD_OR_TYPE",
    "REVOKED",
    institutionId,
  ]);
}
