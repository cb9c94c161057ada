/**
 * `institutions { status }` reflects each bank's recent health: a bank that keeps failing goes
 * DEGRADED, then DOWN, while the others stay UP; a user's expired login says nothing about the
 * bank and does not count against it.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { BANK_IDS, linkedUser, PATIENT_ENV, UNCACHED_ENV } from "../support/dashboard.js";
import { startTestGateway, type TestGateway, type TestUser } from "../support/gateway.js";

let t: TestGateway;
let user: TestUser;

beforeAll(async () => {
  // One attempt per bank call (no retries) and no cache: each query below is exactly one bank call.
  t = await startTestGateway({ env: { ...UNCACHED_ENV, ...PATIENT_ENV, BANK_RETRIES: "0" } });
  user = await linkedUser(t, "health", ["chase", "citi"]);
});
afterAll(() => t?.close());

async function statuses(): Promise<Record<string, string>> {
  const response = await t.gql<{ institutions: Array<{ id: string; status: string }> }>(`{ institutions { id status } }`, {}, user.app);
  return Object.fromEntries(response.body.data!.institutions.map((i) => [i.id, i.status]));
}

const errorCodes = async (bank: string) =>
  (await t.gql(`{ accounts(institutionIds: ["${bank}"]) { id } }`, {}, user.app)).body.errors?.map((e) => e.extensions?.["code"]);

/** Every bank UP but `bank`, which is `status`. */
const allBut = (bank: string, status: string) => Object.fromEntries(BANK_IDS.map((b) => [b, b === bank ? status : "UP"]));

it("shows a bank that keeps failing as DEGRADED, then DOWN, while the others stay UP", async () => {
  expect(await statuses()).toEqual(Object.fromEntries(BANK_IDS.map((b) => [b, "UP"])));
  await t.mocks.bank("citi").setFaults({ down: true });
  try {
    expect(await errorCodes("citi")).toEqual(["INSTITUTION_DOWN"]);
    expect(await statuses()).toEqual(allBut("citi", "DEGRADED"));
    // How many failures in a row make a bank DOWN is the health policy's business; a handful must.
    const seen: string[] = [];
    for (let i = 0; i < 10 && seen.at(-1) !== "DOWN"; i++) {
      await errorCodes("citi");
      seen.push((await statuses())["citi"]!);
    }
    expect(seen.at(-1)).toBe("DOWN");
    expect(seen.slice(0, -1).filter((s) => s !== "DEGRADED")).toEqual([]);
    expect(await errorCodes("chase")).toBeUndefined();
    expect(await statuses()).toEqual(allBut("citi", "DOWN"));
  } finally {
    await t.mocks.bank("citi").resetFaults();
  }
});

it("does not count the user's expired login against the bank's health", async () => {
  // The login is no longer valid at the bank: alice revokes her grant there (its access and refresh
  // tokens stop working). Expiring access tokens alone would not do: Bankgraph refreshes those itself.
  const revoked = await fetch(`${t.mocks.adminUrl}/banks/chase/customers/alice/revoke`, { method: "POST" });
  expect(revoked.status).toBe(200);
  expect(await revoked.json()).toEqual({ revoked: 1 });
  expect(await errorCodes("chase")).toEqual(["LOGIN_REQUIRED"]);
  expect((await statuses())["chase"]).toBe("UP");
});
