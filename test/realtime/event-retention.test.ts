/**
 * Retention (issue 14, item 3: EVENT_RETENTION_DAYS, default 30) on the embedded store and on
 * PostgreSQL: everything a bank event leaves behind — its entries in the person's event log, the
 * newest state each link was told about, the replay ledger's entry — stays inside the window and
 * is pruned once older; a cursor from before it gets EVENT_CURSOR_EXPIRED; afterwards events are
 * logged as ever, and state still never moves backwards.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, ManualClock } from "../../src/clock.js";
import type { Database } from "../../src/store/database.js";
import { storeBackends } from "../support/databases.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { linkOf } from "./realtime-support.js";
import { postWellsFargoBalance } from "./wells-fargo-balance-event.js";

const WF = "wells_fargo";
const EVENTS = `query CatchUp($after: String) {
  events(first: 10, after: $after) { nodes { cursor balanceUpdate { balance { current { amount } } } } }
}`;

const backends = await storeBackends();

describe.each(backends)("event retention on $name", (backend) => {
  let db: Database;
  let t: TestGateway;
  let clock: ManualClock;
  beforeAll(async () => {
    db = await backend.open();
    clock = new ManualClock(new Date());
    t = await startTestGateway({ db, clock, mocks: { banks: [WF] } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await db?.close();
  });

  /** A signed Wells Fargo balance delivery, signed now by the gateway's clock, the balance dated `atMs`. */
  async function balanceAt(accountId: string, cents: number, atMs: number, eventId: string) {
    return postWellsFargoBalance(t.gateway.port, clock.now().getTime(), { accountId, cents, atMs, eventId });
  }

  /** Rows the event left in each table that grows per event. */
  async function rowsLeft(userId: string, linkId: string, eventId: string) {
    const count = async (sql: string, param: string) => Number((await db.query<{ n: number | bigint }>(sql, [param]))[0]!.n);
    return {
      eventLog: await count("SELECT count(*) AS n FROM event_log WHERE user_id = $1", userId),
      eventSubjects: await count("SELECT count(*) AS n FROM event_subjects WHERE link_id = $1", linkId),
      webhookEvents: await count("SELECT count(*) AS n FROM webhook_events WHERE event_id = $1", eventId),
    };
  }

  it("keeps the log, the subjects and the replay ledger inside the window, prunes them past it; old cursors expire", async () => {
    const user = await t.newUser("retention", [WF]);
    await t.grant(user, WF, ["accounts:read", "balances:read"], { durationDays: 365 });
    const linkId = linkOf(user.links[WF]!)!;
    const accountId = t.mocks.bank(WF).data.accountsOf("alice")[0]!.id;
    const firstId = randomUUID();
    const firstAt = clock.now().getTime();

    expect(await balanceAt(accountId, 50_000, firstAt, firstId)).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect(await balanceAt(accountId, 55_000, firstAt + 1_000, randomUUID())).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    const before = await t.gql(EVENTS, {}, user.app);
    expect(before.body.errors).toBeUndefined();
    // The first event's cursor: once both are pruned, events after it were lost (the second one's would still be good).
    const oldCursor = before.body.data.events.nodes[0].cursor as string;
    expect(await rowsLeft(user.userId, linkId, firstId)).toEqual({ eventLog: 2, eventSubjects: 1, webhookEvents: 1 });

    // Inside the window nothing goes.
    clock.advance(29 * DAY_MS);
    await t.gateway.services.realtime.retention.sweep();
    expect(await rowsLeft(user.userId, linkId, firstId)).toEqual({ eventLog: 2, eventSubjects: 1, webhookEvents: 1 });

    // 40 days on: every trace of the events is gone.
    clock.advance(11 * DAY_MS);
    expect(await t.gateway.services.realtime.retention.sweep()).toBe(2);
    expect(await rowsLeft(user.userId, linkId, firstId)).toEqual({ eventLog: 0, eventSubjects: 0, webhookEvents: 0 });

    const expired = await t.gql(EVENTS, { after: oldCursor }, user.app);
    expect(expired.body.data).toBeNull();
    expect(expired.body.errors?.map((e) => e.extensions?.["code"])).toEqual(["EVENT_CURSOR_EXPIRED"]);

    // Afterwards: a new balance is logged as ever, after the pruned ones; one dated before it is not (state never moves backwards).
    const now = clock.now().getTime();
    expect(await balanceAt(accountId, 70_000, now, randomUUID())).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    expect(await balanceAt(accountId, 10_000, now - 60_000, randomUUID())).toEqual({ status: 200, body: { accepted: 1, duplicates: 0 } });
    const after = (await t.gql(EVENTS, {}, user.app)).body.data.events.nodes;
    expect(after.map((n: any) => n.balanceUpdate.balance.current.amount)).toEqual(["700.00"]);
    expect(after[0].cursor).not.toBe(oldCursor);
    expect(await rowsLeft(user.userId, linkId, firstId)).toEqual({ eventLog: 1, eventSubjects: 1, webhookEvents: 0 });
  });
});
