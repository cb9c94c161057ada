/**
 * Transaction connections built before, handed out again when every bank page they were built from
 * comes back as the very same object (the upstream cache's entry).
 *
 * A warm dashboard rebuilt each account's page from cached bank pages on every request: the walk,
 * the row hashes, the `endCursor`, a GraphQL object and two global IDs per row — ~8% of its CPU for
 * an answer that could not differ. Building a page is a pure function of the query's arguments and
 * of the bank pages its reads return (the reads it makes depend only on the pages before), so
 * replaying the recorded reads in order and getting the identical page objects back proves the
 * build would give the same connection, cursors included.
 *
 * The replay makes the same reads through the same reader, so the consent decision (taken by the
 * bank gate before any read), the history window, the access record of each read and the upstream
 * cache's freshness and purges all apply exactly as on a build. A page answered from a new bank
 * call, a purge after a bank event, or a window that filters differently is a new object: the
 * connection is built afresh. Keys start with the link ID, so nothing is shared across people.
 */
import { BoundedMap } from "../../bounded-map.js";
import type { TransactionPage, TransactionPageRequest } from "../../providers/contract.js";
import type { TransactionPageSource } from "./read-transaction-page.js";

interface Recorded<T> {
  reads: Array<{ request: TransactionPageRequest; page: TransactionPage }>;
  value: T;
}

/** Connections kept, at most 5,000 (the one kept longest ago goes first). */
const kept = new BoundedMap<string, Recorded<unknown>>(5_000);

/** Options for {@link replayedOrBuilt}. */
export interface ReplayOptions {
  /**
   * false when bank pages never come back as the same objects on a later request (the upstream
   * cache keeps nothing): a kept connection could not be handed out again, and would only hold a
   * cold request's pages and GraphQL objects in memory until the next build for the key replaced
   * it — long enough to outlive the young generation, making every request's garbage collection
   * copy and promote it. Default true.
   */
  keep?: boolean;
}

/**
 * `build(source)`'s value for `key`: the one built before when replaying its reads on `source`
 * returns the same page objects, else a fresh build (kept unless it throws, or `keep` is false).
 * `key` must name everything `build` depends on besides the pages (link, account, arguments, cursor).
 */
export async function replayedOrBuilt<T>(
  key: string,
  source: TransactionPageSource,
  build: (source: TransactionPageSource) => Promise<T>,
  { keep = true }: ReplayOptions = {},
): Promise<T> {
  if (!keep) return build(source);
  const before = kept.get(key) as Recorded<T> | undefined;
  if (before && (await sameReads(before.reads, source))) return before.value;
  const reads: Recorded<T>["reads"] = [];
  const recording: TransactionPageSource = {
    keepsReplacedPending: source.keepsReplacedPending,
    async page(request) {
      const page = await source.page(request);
      reads.push({ request, page });
      return page;
    },
  };
  const value = await build(recording);
  kept.set(key, { reads, value });
  return value;
}

/**
 * Makes the recorded reads again, in order, while each answers with the recorded page. On the
 * first difference it stops: the build that follows makes that same read first (the pages before
 * it were the same), which the request's loaders answer from their own memory.
 */
async function sameReads(reads: Recorded<unknown>["reads"], source: TransactionPageSource): Promise<boolean> {
  for (const { request, page } of reads) {
    if ((await source.page(request)) !== page) return false;
  }
  return true;
}
