/**
 * Each bank's delivery mark (migration 014) on PGlite and PostgreSQL: a delivery beyond a gap
 * never moves the mark past the gap, and one reconciler at a time holds a bank — across
 * instances, with a lease that a dead holder loses when it expires.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/store/database.js";
import { BankEventMarkRepository } from "../../src/store/bank-event-mark-repository.js";
import { storeBackends } from "../support/databases.js";

const backends = await storeBackends();
const T0 = new Date("2026-06-15T12:00:00Z");
const later = (ms: number) => new Date(T0.getTime() + ms);

describe.each(backends)("bank event marks on $name", (backend) => {
  let db: Database;
  let marks: BankEventMarkRepository;
  beforeAll(async () => {
    db = await backend.open();
    marks = new BankEventMarkRepository(db);
  });
  afterAll(() => db?.close());

  it("the first delivery sets the mark; the next moves it; one beyond a gap leaves it until the gap is filled", async () => {
    const bank = `bank-${randomUUID()}`;
    expect(await marks.check(bank, 7)).toEqual({ kind: "FIRST" });
    expect(await marks.handled(bank, 7)).toBe(true);
    expect(await marks.check(bank, 8)).toEqual({ kind: "IN_ORDER" });
    expect(await marks.check(bank, 7)).toEqual({ kind: "IN_ORDER" });
    expect(await marks.handled(bank, 8)).toBe(true);
    expect(await marks.handled(bank, 11)).toBe(false); // beyond a gap: the mark stays at 8
    expect(await marks.check(bank, 12)).toEqual({ kind: "GAP", lastSequence: 8 });
    await marks.handled(bank, 9);
    await marks.handled(bank, 10);
    expect(await marks.check(bank, 12)).toEqual({ kind: "GAP", lastSequence: 10 });
    await marks.raise(bank, 11, T0);
    expect(await marks.check(bank, 12)).toEqual({ kind: "IN_ORDER" });
    await marks.raise(bank, 5, T0);
    expect(await marks.check(bank, 13)).toEqual({ kind: "GAP", lastSequence: 11 });
    expect(await marks.institutions()).toContain(bank);
  });

  it("one holder at a time: concurrent claims, one wins; a released or expired lease can be taken", async () => {
    const bank = `bank-${randomUUID()}`;
    expect(await marks.claim(bank, "a", T0, later(60_000))).toBeUndefined(); // no mark, nothing to reconcile
    await marks.handled(bank, 3);
    const claims = await Promise.all(["a", "b", "c"].map((owner) => marks.claim(bank, owner, T0, later(60_000))));
    expect(claims.filter((c) => c === 3)).toHaveLength(1);
    expect(claims.filter((c) => c === undefined)).toHaveLength(2);
    const holder = ["a", "b", "c"][claims.indexOf(3)]!;
    const other = holder === "a" ? "b" : "a";

    await marks.release(bank, other); // not the holder's lease: nothing happens
    expect(await marks.claim(bank, other, later(1_000), later(61_000))).toBeUndefined();
    expect(await marks.claim(bank, holder, later(1_000), later(61_000))).toBe(3); // the holder renews
    await marks.release(bank, holder);
    expect(await marks.claim(bank, other, later(2_000), later(62_000))).toBe(3);
    // The holder dies without releasing: after its lease ends another takes over.
    expect(await marks.claim(bank, holder, later(61_000), later(121_000))).toBeUndefined();
    expect(await marks.claim(bank, holder, later(62_000), later(122_000))).toBe(3);
  });
});
