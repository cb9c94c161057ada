/**
 * Payloads are state, and state never moves backwards (issue 14, item 4): a bank's balance event
 * that happened BEFORE one already delivered (it arrives late, out of order) is accepted — 200,
 * recorded once, so the bank stops retrying — but never delivered or logged; the next newer one is.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { collect, subscribersReady, wsClient } from "./realtime-support.js";
import { postWellsFargoBalance } from "./wells-fargo-balance-event.js";

const WF = "wells_fargo";

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway({ mocks: { banks: [WF] } });
});
afterAll(() => t?.close());

/** A signed Wells Fargo balance delivery for the account, as of `atMs`. */
async function balanceAt(accountId: string, cents: number, atMs: number) {
  return postWellsFargoBalance(t.gateway.port, t.clock.now().getTime(), { accountId, cents, atMs });
}

describe("a bank event older than the state already delivered", () => {
  it("is answered 200 and recorded, but never delivered: the subscriber's balance never goes back", async () => {
    const user = await t.newUser("backwards", [WF]);
    await t.grant(user, WF, ["accounts:read", "balances:read"]);
    const accountId = t.mocks.bank(WF).data.accountsOf("alice")[0]!.id;
    const client = wsClient(t.gateway, user.app);
    const sub = collect(client, "subscription { balanceUpdated { balance { current { amount } asOf } } }");
    await subscribersReady(t.gateway, user.userId);
    const now = Date.now();

    expect(await balanceAt(accountId, 50_000, now)).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect((await sub.nth(1)).data!.balanceUpdated.balance.current.amount).toBe("500.00");
    // Late: it happened a minute before the one delivered.
    expect(await balanceAt(accountId, 40_000, now - 60_000)).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    // The next newer one is the next thing the subscriber sees.
    expect(await balanceAt(accountId, 60_000, now + 1_000)).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect((await sub.nth(2)).data!.balanceUpdated.balance.current.amount).toBe("600.00");
    expect(sub.results).toHaveLength(2);
    // Nor is it in the catch-up log.
    const logged = await t.gql("{ events(kinds: [BALANCE_CHANGED]) { nodes { balanceUpdate { balance { current { amount } } } } } }", {}, user.app);
    expect(logged.body.data.events.nodes.map((n: any) => n.balanceUpdate.balance.current.amount)).toEqual(["500.00", "600.00"]);
    await client.dispose();
  });
});
