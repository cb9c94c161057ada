/**
 * The upstream cache's bound (UPSTREAM_CACHE_MAX_ENTRIES, src/cache/upstream-cache.ts on
 * src/bounded-map.ts): it never keeps more answers than its bound, and the answer stored longest
 * ago is the one that goes — asked again, it comes from the bank; the rest are still served.
 */
import { describe, expect, it } from "vitest";
import { UpstreamCache, type CacheLookup } from "../../../src/cache/upstream-cache.js";
import { ManualClock } from "../../../src/clock.js";

describe("UpstreamCache bound", () => {
  it("keeps at most maxEntries answers and drops the one stored longest ago", async () => {
    const lookups: CacheLookup[] = [];
    const cache = new UpstreamCache({ ttlMs: 60_000, maxEntries: 2, clock: new ManualClock(), onLookup: (_kind, lookup) => lookups.push(lookup) });
    const read = (linkId: string) => cache.read({ linkId, kind: "accounts", key: "{}" }, async () => `answer of ${linkId}`);

    for (const link of ["first", "second", "third"]) expect(await read(link)).toBe(`answer of ${link}`);
    expect(cache.size).toBe(2);
    lookups.length = 0;
    await read("third");
    await read("second");
    await read("first");
    expect(lookups).toEqual(["hit", "hit", "miss"]);
    expect(cache.size).toBe(2);
  });
});
