import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessRecordHash, GENESIS_HASH } from "../../src/domain/access-record.js";
import { verifyAccessChain } from "../../src/access-log/verify-access-chain.js";
import { ErrorCode } from "../../src/errors.js";
import { AccessLogRepository, type AccessRecord } from "../../src/store/access-log-repository.js";
import type { Database } from "../../src/store/database.js";
import { encodeCursor } from "../../src/store/pagination.js";
import { WebhookEventRepository } from "../../src/store/webhook-event-repository.js";
import { storeBackends } from "../support/databases.js";

const backends = await storeBackends();
const T0 = new Date("2025-02-01T00:00:00.000Z");

function record(userId: string, n: number, patch: Partial<AccessRecord> = {}): AccessRecord {
  return {
    userId,
    clientId: "messenger-demo",
    linkId: "6f1c9a52-8a35-4c8b-9f0e-3f1f6b0e2d11",
    institutionId: "chase",
    consentId: "0b7e3c1a-2d4f-4e5a-9b6c-7d8e9f0a1b2c",
    scope: "balances:read",
    purpose: "ACCOUNT_OVERVIEW",
    operationName: `Op${n}`,
    requestId: `req-${n}`,
    at: new Date(T0.getTime() + n * 1000),
    ...patch,
  };
}

describe.each(backends)("access log on $name", (backend) => {
  let db: Database;
  let log: AccessLogRepository;
  beforeAll(async () => {
    db = await backend.open();
    log = new AccessLogRepository(db);
  });
  afterAll(() => db?.close());

  it("appends records and lists them newest first with every field", async () => {
    const u = `user-${randomUUID()}`;
    await log.append([record(u, 1), record(u, 2, { consentId: null, operationName: null })]);
    const page = await log.listForUser(u, { first: 10 });
    expect(page.hasNextPage).toBe(false);
    expect(page.items.map(({ id: _, chain: __, ...rest }) => rest)).toEqual([record(u, 2, { consentId: null, operationName: null }), record(u, 1)]);
    // Each entry carries its place in the person's hash chain.
    const [second, first] = page.items.map((e) => e.chain!);
    expect(first).toEqual({ seq: 1, prevHash: GENESIS_HASH, hash: accessRecordHash(record(u, 1), 1, GENESIS_HASH) });
    expect(second).toEqual({ seq: 2, prevHash: first!.hash, hash: accessRecordHash(record(u, 2, { consentId: null, operationName: null }), 2, first!.hash) });
    expect(page.items[0]!.id).toBeGreaterThan(page.items[1]!.id);
    expect(page.endCursor).toBe(encodeCursor("access_log_entry", page.items[1]!.id));
  });

  it("appending nothing is a no-op", async () => {
    const u = `user-${randomUUID()}`;
    await log.append([]);
    expect(await log.listForUser(u, { first: 5 })).toEqual({ items: [], hasNextPage: false, endCursor: null });
  });

  it("pages with keyset cursors, and rows appended meanwhile do not shift a page", async () => {
    const u = `user-${randomUUID()}`;
    await log.append(Array.from({ length: 7 }, (_, i) => record(u, i)));
    const first = await log.listForUser(u, { first: 3 });
    expect(first.items.map((e) => e.requestId)).toEqual(["req-6", "req-5", "req-4"]);
    expect(first.hasNextPage).toBe(true);
    await log.append([record(u, 100)]); // newer than everything: belongs before page 1, not in page 2
    const second = await log.listForUser(u, { first: 3, after: first.endCursor });
    expect(second.items.map((e) => e.requestId)).toEqual(["req-3", "req-2", "req-1"]);
    expect(second.hasNextPage).toBe(true);
    const third = await log.listForUser(u, { first: 3, after: second.endCursor });
    expect(third.items.map((e) => e.requestId)).toEqual(["req-0"]);
    expect(third.hasNextPage).toBe(false);
    // One short of everything has a next page; exactly everything has none.
    const almost = await log.listForUser(u, { first: 7 });
    expect(almost.items).toHaveLength(7);
    expect(almost.hasNextPage).toBe(true);
    const all = await log.listForUser(u, { first: 8 });
    expect(all.items).toHaveLength(8);
    expect(all.hasNextPage).toBe(false);
  });

  it("shows a user only their own entries", async () => {
    const alice = `alice-${randomUUID()}`;
    const bob = `bob-${randomUUID()}`;
    await log.append([record(alice, 1), record(bob, 2), record(alice, 3)]);
    expect((await log.listForUser(alice, { first: 10 })).items.map((e) => e.requestId)).toEqual(["req-3", "req-1"]);
    expect((await log.listForUser(bob, { first: 10 })).items.map((e) => e.requestId)).toEqual(["req-2"]);
    // A cursor taken from Alice's list still only pages Bob's rows.
    const aliceCursor = (await log.listForUser(alice, { first: 1 })).endCursor;
    expect((await log.listForUser(bob, { first: 10, after: aliceCursor })).items.map((e) => e.userId)).toEqual([bob]);
  });

  it("writes a large batch atomically", async () => {
    const u = `user-${randomUUID()}`;
    await log.append(Array.from({ length: 2345 }, (_, i) => record(u, i)));
    const [count] = await db.query<{ n: number }>("SELECT sum(cardinality(scopes))::int AS n FROM access_log WHERE user_id = $1", [u]);
    expect(count!.n).toBe(2345);
    const bad = [...Array.from({ length: 1500 }, (_, i) => record(`${u}-b`, i)), record(`${u}-b`, 9, { linkId: "not-a-uuid" })];
    await expect(log.append(bad)).rejects.toThrow(/uuid/);
    const [after] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM access_log WHERE user_id = $1", [`${u}-b`]);
    expect(after!.n).toBe(0);
  });

  it("writes concurrent appends together, and one caller's bad records fail only that caller", async () => {
    const u = `user-${randomUUID()}`;
    const callers = Array.from({ length: 20 }, (_, i) =>
      i === 7 ? [record(u, 700), record(u, 701, { linkId: "not-a-uuid" })] : [record(u, i * 10), record(u, i * 10 + 1)],
    );
    const outcomes = await Promise.allSettled(callers.map((records) => log.append(records)));
    expect(outcomes.map((o) => o.status)).toEqual(callers.map((_, i) => (i === 7 ? "rejected" : "fulfilled")));
    const page = await log.listForUser(u, { first: 100 });
    const written = page.items.map((e) => e.requestId).sort();
    const expected = callers.flatMap((records, i) => (i === 7 ? [] : records.map((r) => r.requestId))).sort();
    expect(written).toEqual(expected);
    // Each caller's records keep the order they were handed in.
    const ids = new Map(page.items.map((e) => [e.requestId, e.id]));
    for (const [i, records] of callers.entries()) {
      if (i !== 7) expect(ids.get(records[1]!.requestId)!).toBeGreaterThan(ids.get(records[0]!.requestId)!);
    }
  });

  it("gathers appends of the same event-loop turn into one write, even when the first arrives alone", async () => {
    const u = `user-${randomUUID()}`;
    let inserts = 0;
    // One write = one transaction (lock the heads, insert the rows, move the heads).
    const counting: Database = {
      ...db,
      transaction: (fn) => {
        inserts++;
        return db.transaction(fn);
      },
    };
    const gathering = new AccessLogRepository(counting);
    // Three requests whose answers are ready one after another within a turn: the first finds
    // nothing being written, the others arrive a microtask and a nextTick later.
    const first = gathering.append([record(u, 1)]);
    await Promise.resolve();
    const second = gathering.append([record(u, 2)]);
    await new Promise<void>((resolve) => process.nextTick(resolve));
    const third = gathering.append([record(u, 3)]);
    await Promise.all([first, second, third]);
    expect(inserts).toBe(1);
    expect((await gathering.listForUser(u, { first: 10 })).items.map((e) => e.requestId)).toEqual(["req-3", "req-2", "req-1"]);
  });

  it("concurrent appends of many writers (each with its own group commit) extend each person's chain linearly: no fork, no gap", async () => {
    const people = [`p-${randomUUID()}`, `q-${randomUUID()}`, `r-${randomUUID()}`];
    const writers = Array.from({ length: 4 }, () => new AccessLogRepository(db));
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => writers[i % writers.length]!.append([record(people[i % 3]!, i), record(people[(i + 1) % 3]!, i + 1000)])),
    );
    for (const person of people) {
      const chain = await log.readChain(person, 0, 1000);
      expect(chain.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(verifyAccessChain(person, chain)).toMatchObject({ ok: true, records: 40 });
      expect(await log.head(person)).toEqual({ seq: 40, hash: chain.at(-1)!.hash });
    }
  });

  it("an instance whose remembered tip went stale (another appended meanwhile) continues after the other's records", async () => {
    const u = `user-${randomUUID()}`;
    const [one, two] = [new AccessLogRepository(db), new AccessLogRepository(db)];
    await one.append([record(u, 1)]);
    await two.append([record(u, 2), record(u, 3)]);
    await one.append([record(u, 4)]); // one remembers seq 1; the head is at 3
    await two.append([record(u, 5)]); // two remembers seq 3; the head is at 4
    const chain = await log.readChain(u, 0, 10);
    expect(chain.map((r) => [r.seq, r.requestId])).toEqual([1, 2, 3, 4, 5].map((n) => [n, `req-${n}`]));
    expect(verifyAccessChain(u, chain, [{ ...(await log.head(u))!, label: "the store's head" }])).toMatchObject({ ok: true, records: 5 });
  });

  it("a write that fails leaves the chain as it was; the next one continues it", async () => {
    const u = `user-${randomUUID()}`;
    await log.append([record(u, 1), record(u, 2)]);
    const before = await log.head(u);
    await expect(log.append([record(u, 3), record(u, 4, { linkId: "not-a-uuid" })])).rejects.toThrow(/uuid/);
    expect(await log.head(u)).toEqual(before);
    // One request alone (one row, written by its own statement).
    await expect(log.append([record(u, 6, { linkId: "not-a-uuid" }), record(u, 6)])).rejects.toThrow(/uuid/);
    expect(await log.head(u)).toEqual(before);
    await log.append([record(u, 5)]);
    const chain = await log.readChain(u, 0, 10);
    expect(chain.map((r) => [r.seq, r.requestId])).toEqual([
      [1, "req-1"],
      [2, "req-2"],
      [3, "req-5"],
    ]);
    expect(verifyAccessChain(u, chain, [{ ...(await log.head(u))!, label: "the store's head" }])).toMatchObject({ ok: true, records: 3 });
  });

  it.each([
    ["first = 0", { first: 0 }, "first must be a whole number from 1 to 100"],
    ["first = 101", { first: 101 }, "first must be a whole number from 1 to 100"],
    ["a garbage cursor", { first: 1, after: "!!!" }, "Invalid cursor"],
    ["a cursor of another list", { first: 1, after: encodeCursor("consent_event", 5) }, "Invalid cursor"],
  ])("refuses %s", async (_, args, message) => {
    await expect(log.listForUser("u", args)).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT, message });
  });
});

describe.each(backends)("webhook events on $name", (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(() => db?.close());

  it("accepts an event once and flags replays, per institution", async () => {
    const events = new WebhookEventRepository(db);
    const id = `evt-${randomUUID()}`;
    expect(await events.recordOnce("chase", id, T0)).toBe(true);
    expect(await events.recordOnce("chase", id, new Date(T0.getTime() + 1))).toBe(false);
    expect(await events.recordOnce("citi", id, T0)).toBe(true);
    expect(await db.query("SELECT institution_id, received_at FROM webhook_events WHERE event_id = $1 ORDER BY institution_id", [id])).toEqual([
      { institution_id: "chase", received_at: T0 },
      { institution_id: "citi", received_at: T0 },
    ]);
  });

  it("of concurrent deliveries of one event, exactly one wins", async () => {
    const events = new WebhookEventRepository(db);
    const id = `evt-${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 8 }, () => events.recordOnce("paypal", id, T0)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
