/**
 * A bank that revokes the person's grant without notice (the mock admin's POST
 * /banks/:id/customers/:c/revoke) yields LOGIN_REQUIRED beside the other banks' data — the bank
 * refuses the access token and then the refresh token —, marks the link LOGIN_REQUIRED and revokes
 * its consents (reason REVOKED_AT_BANK: the next read is denied as REVOKED), and stops calling the
 * bank for that link until the person authorizes again at the bank (which re-activates the link)
 * and the app is granted again.
 * A bank that merely drops every access token (POST /banks/:id/tokens/expire) is healed by one refresh.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BANK_IDS, DASHBOARD_QUERY, FULL_SCOPES, linkedUser, PATIENT_ENV, UNCACHED_ENV, type DashboardAccount } from "../support/dashboard.js";
import { startTestGateway, type GraphQLResponse, type TestGateway, type TestUser } from "../support/gateway.js";

const LINKS_QUERY = `{ links { status institution { id } } }`;

let t: TestGateway;
let user: TestUser;

/** No upstream cache (an expired login must be noticed on the very next read); one attempt per bank call. */
const ENV = { ...UNCACHED_ENV, ...PATIENT_ENV, BANK_RETRIES: "0" };

beforeAll(async () => {
  t = await startTestGateway({ env: ENV });
  user = await linkedUser(t, "relogin");
});
afterAll(() => t?.close());

type Dashboard = GraphQLResponse<{ accounts: Array<DashboardAccount | null> }>;

async function linkStatuses(): Promise<Record<string, string>> {
  const response = await t.gql<{ links: Array<{ status: string; institution: { id: string } }> }>(LINKS_QUERY, {}, user.app);
  return Object.fromEntries(response.body.data!.links.map((l) => [l.institution.id, l.status]));
}

function expectOneLoginRequired(response: Dashboard, bank: string, bankName: string): void {
  expect(response.status).toBe(200);
  const accounts = response.body.data!.accounts;
  expect(accounts.filter((a) => a === null)).toHaveLength(1);
  expect(response.body.errors).toEqual([
    {
      message: `The login at ${bankName} has expired; the user must log in again`,
      locations: [{ line: 3, column: 5 }],
      path: ["accounts", accounts.indexOf(null)],
      extensions: { code: "LOGIN_REQUIRED", institutionId: bank },
    },
  ]);
  const institutions = new Set(accounts.filter((a) => a !== null).map((a) => a.institution.id));
  expect([...institutions].sort()).toEqual(BANK_IDS.filter((b) => b !== bank).sort());
}

/** The app's consent at `bank` was revoked with the grant: one denial stands in for that bank's accounts. */
function expectOneRevoked(response: Dashboard, bank: string): void {
  expect(response.status).toBe(200);
  const accounts = response.body.data!.accounts;
  expect(accounts.filter((a) => a === null)).toHaveLength(1);
  expect(response.body.errors).toEqual([
    expect.objectContaining({
      path: ["accounts", accounts.indexOf(null)],
      extensions: expect.objectContaining({ code: "UNAUTHORIZED_FIELD_OR_TYPE", institutionId: bank, reason: "REVOKED" }),
    }),
  ]);
  const institutions = new Set(accounts.filter((a) => a !== null).map((a) => a.institution.id));
  expect([...institutions].sort()).toEqual(BANK_IDS.filter((b) => b !== bank).sort());
}

describe("a bank that revokes the person's grant", () => {
  it.each(BANK_IDS)("%s: LOGIN_REQUIRED beside the others, the link flips, a new authorization at the bank restores it", async (bank) => {
    const revoked = await fetch(`${t.mocks.adminUrl}/banks/${bank}/customers/alice/revoke`, { method: "POST" });
    expect(revoked.status).toBe(200);
    const bankName = t.mocks.bank(bank).definition.name;

    expectOneLoginRequired(await t.gql(DASHBOARD_QUERY, {}, user.app), bank, bankName);
    expect(await linkStatuses()).toEqual(Object.fromEntries(BANK_IDS.map((b) => [b, b === bank ? "LOGIN_REQUIRED" : "ACTIVE"])));

    // Until the person authorizes again the gateway does not even ask the bank: the app's consent went with the grant.
    t.resetBankCalls();
    expectOneRevoked(await t.gql(DASHBOARD_QUERY, {}, user.app), bank);
    expect(t.bankCalls()[bank]!.total).toBe(0);

    const relinked = await t.linkAtBank(user.userId, bank);
    expect(relinked).toMatchObject({ status: "LINKED", link: { status: "ACTIVE", institutionId: bank } });
    expect(await linkStatuses()).toEqual(Object.fromEntries(BANK_IDS.map((b) => [b, "ACTIVE"])));
    expectOneRevoked(await t.gql(DASHBOARD_QUERY, {}, user.app), bank);
    await t.grant(user, bank, FULL_SCOPES);
    const healed = await t.gql<{ accounts: Array<DashboardAccount | null> }>(DASHBOARD_QUERY, {}, user.app);
    expect(healed.body.errors).toBeUndefined();
    expect(healed.body.data!.accounts.filter((a) => a?.institution.id === bank)).toHaveLength(t.mocks.bank(bank).data.accountsOf("alice").length);
  });

  it("a bank that drops every access token is healed by one refresh: no LOGIN_REQUIRED", async () => {
    const expired = await fetch(`${t.mocks.adminUrl}/banks/chase/tokens/expire`, { method: "POST" });
    expect(expired.status).toBe(204);
    const before = t.mocks.bank("chase").tokenCallCounts()["refresh_token"] ?? 0;
    const response = await t.gql<{ accounts: Array<DashboardAccount | null> }>(DASHBOARD_QUERY, {}, user.app);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.accounts.every((a) => a !== null)).toBe(true);
    expect((t.mocks.bank("chase").tokenCallCounts()["refresh_token"] ?? 0) - before).toBe(1);
    expect(await linkStatuses()).toEqual(Object.fromEntries(BANK_IDS.map((b) => [b, "ACTIVE"])));
  });
});
