/**
 * InFlight: callers of one key at once share one read; a read started after the first settled
 * is a new read (nothing is served stale); a failure reaches every sharer and is not kept.
 */
import { describe, expect, it } from "vitest";
import { InFlight } from "../../../src/realtime/in-flight.js";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("InFlight", () => {
  it("shares one pending read among callers of the same key, and reads afresh once it settled", async () => {
    const reads = new InFlight();
    const first = deferred<number>();
    let calls = 0;
    const read = () => (calls++, first.promise);
    const a = reads.run("k", read);
    const b = reads.run("k", read);
    const other = reads.run("other", () => Promise.resolve(7));
    expect(calls).toBe(1);
    first.resolve(1);
    expect(await Promise.all([a, b, other])).toEqual([1, 1, 7]);
    expect(reads.size).toBe(0);
    expect(await reads.run("k", () => Promise.resolve(2))).toBe(2);
  });

  it("hands a failure to every sharer and forgets it", async () => {
    const reads = new InFlight();
    const failing = deferred<number>();
    const a = reads.run("k", () => failing.promise);
    const b = reads.run("k", () => Promise.resolve(0));
    failing.reject(new Error("store down"));
    await expect(a).rejects.toThrow("store down");
    await expect(b).rejects.toThrow("store down");
    expect(await reads.run("k", () => Promise.resolve(3))).toBe(3);
  });
});
