/**
 * BoundedMap (src/bounded-map.ts), the one size rule of the gateway's in-process caches and memos:
 * against a plain model of it (a list in set order), any sequence of set / get / delete / clear
 * leaves the same entries in the same order, never more than the bound, and tells exactly the
 * entries it dropped to make room. A bound it cannot keep is refused with a message that says so.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoundedMap } from "../../src/bounded-map.js";

type Op = { kind: "set"; key: number; value: number } | { kind: "get"; key: number } | { kind: "delete"; key: number } | { kind: "clear" };

const KEYS = fc.integer({ min: 0, max: 12 });
const OPS = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant("set" as const), key: KEYS, value: fc.integer() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("get" as const), key: KEYS }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), key: KEYS }) },
    { weight: 1, arbitrary: fc.constant({ kind: "clear" as const }) },
  ),
  { maxLength: 80 },
);

describe("BoundedMap", () => {
  it("matches its model: set puts the key last, one over the bound drops the first and says so; get, delete and clear are a Map's", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), OPS, (maxEntries, ops: Op[]) => {
        const evicted: [number, number][] = [];
        const map = new BoundedMap<number, number>(maxEntries, (key, value) => evicted.push([key, value]));
        let model: [number, number][] = [];
        const modelEvicted: [number, number][] = [];
        for (const op of ops) {
          if (op.kind === "set") {
            model = model.filter(([k]) => k !== op.key);
            model.push([op.key, op.value]);
            if (model.length > maxEntries) modelEvicted.push(model.shift()!);
            expect(map.set(op.key, op.value)).toBe(map);
          } else if (op.kind === "get") {
            expect(map.get(op.key)).toBe(model.find(([k]) => k === op.key)?.[1]);
          } else if (op.kind === "delete") {
            const had = model.some(([k]) => k === op.key);
            model = model.filter(([k]) => k !== op.key);
            expect(map.delete(op.key)).toBe(had);
          } else {
            model = [];
            map.clear();
          }
          expect(map.size).toBeLessThanOrEqual(maxEntries);
          expect([...map]).toEqual(model);
        }
        expect(evicted).toEqual(modelEvicted);
      }),
    );
  });

  it("reading does not reorder: the key read most is still the first to go when it was set first", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1).set("b", 2);
    for (let i = 0; i < 5; i++) map.get("a");
    map.set("c", 3);
    expect([...map.keys()]).toEqual(["b", "c"]);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses a bound of %s, naming it", (bound) => {
    expect(() => new BoundedMap(bound)).toThrow(new RangeError(`BoundedMap holds a whole number ≥ 1 of entries, not ${bound}`));
  });
});
