/**
 * The reuse of built transaction connections (src/schema/transactions/replayed-pages.ts): a
 * connection is handed out again only when replaying its reads returns the very same page objects;
 * the reads are made again every time (so the reader's consent window and access record apply),
 * and anything else — a new page object, a failed build — builds afresh.
 */
import { describe, expect, it } from "vitest";
import type { TransactionPage, TransactionPageRequest } from "../../src/providers/contract.js";
import { replayedOrBuilt } from "../../src/schema/transactions/replayed-pages.js";
import type { TransactionPageSource } from "../../src/schema/transactions/read-transaction-page.js";

const page = (nextCursor: string | null): TransactionPage => ({ accountId: "a", items: [], nextCursor });

/** A source answering from `pages` by cursor, counting its reads. */
function sourceOf(pages: Map<string | null, TransactionPage>) {
  const reads: TransactionPageRequest[] = [];
  const source: TransactionPageSource = {
    keepsReplacedPending: true,
    page: async (request) => {
      reads.push(request);
      return pages.get(request.cursor ?? null)!;
    },
  };
  return { source, reads };
}

/** A build reading two pages in a row, counting the builds. */
function twoPageBuild() {
  let builds = 0;
  const build = async (source: TransactionPageSource) => {
    builds++;
    const first = await source.page({ accountId: "a", cursor: null, limit: 5 });
    const second = await source.page({ accountId: "a", cursor: first.nextCursor, limit: 5 });
    return { built: builds, cursors: [first.nextCursor, second.nextCursor] };
  };
  return { build, builds: () => builds };
}

describe("replayedOrBuilt", () => {
  it("hands out the same value while every read returns the same page object, making every read again", async () => {
    const pages = new Map([
      [null, page("p2")],
      ["p2", page(null)],
    ]);
    const { source, reads } = sourceOf(pages);
    const { build, builds } = twoPageBuild();
    const key = `same-${Math.random()}`;
    const first = await replayedOrBuilt(key, source, build);
    const again = await replayedOrBuilt(key, source, build);
    expect(again).toBe(first);
    expect(builds()).toBe(1);
    expect(reads.map((r) => r.cursor)).toEqual([null, "p2", null, "p2"]);
  });

  it("builds afresh when a read returns another page object, even an equal one", async () => {
    const pages = new Map([
      [null, page("p2")],
      ["p2", page(null)],
    ]);
    const { source } = sourceOf(pages);
    const { build, builds } = twoPageBuild();
    const key = `changed-${Math.random()}`;
    const first = await replayedOrBuilt(key, source, build);
    pages.set("p2", page(null));
    const again = await replayedOrBuilt(key, source, build);
    expect(again).not.toBe(first);
    expect(again).toEqual({ ...first, built: 2 });
    expect(builds()).toBe(2);
  });

  it("keeps nothing from a build that failed", async () => {
    const { source } = sourceOf(new Map([[null, page(null)]]));
    const key = `failed-${Math.random()}`;
    await expect(replayedOrBuilt(key, source, () => Promise.reject(new Error("bad cursor")))).rejects.toThrow("bad cursor");
    let built = 0;
    const value = await replayedOrBuilt(key, source, async (s) => {
      await s.page({ accountId: "a", cursor: null, limit: 5 });
      return ++built;
    });
    expect(value).toBe(1);
  });
});
