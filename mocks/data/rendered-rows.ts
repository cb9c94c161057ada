/**
 * A bank's wire rendering of its listing rows, done once per row instead of on every page that
 * shows it (Chase's US-Eastern timestamps alone cost ~20 µs a row) — for the rows at the head of a
 * listing only, the newest {@link RENDERED_HEAD_ROWS}: the ones first pages and recent date ranges
 * show again and again. A row deeper down is shown once per walk through the history, so keeping its
 * rendering saved nothing and cost the most: every walked row's rendering survived young-generation
 * collection (1.3–4.4 KB a walk call at 100k transactions), grew the old generation of a ~1 GB mock
 * heap, and brought on its full collections (~1.5 s each). Held at most: the head rows of each
 * listing, plus rows listed there since.
 *
 * The cache is keyed on the row object itself: a listing never changes a row in place but replaces
 * it with a new one (a posting, a released hold: record-index.ts), so a changed row is rendered
 * afresh and a dropped one is forgotten with it (WeakMap).
 *
 * Whatever else the renderer is given must follow from the row (its account's currency or kind, the
 * account holder), and callers must not change what it returns: the same object goes into every
 * answer that lists the row.
 */
import type { MockTransactionRecord } from "./types.js";

/** Rows from the newest of a listing whose renderings are kept (a first page, a 50-row range, a few pages on). */
export const RENDERED_HEAD_ROWS = 250;

/**
 * `render`, remembering its answer for rows at the head of their listing. The rendering function
 * takes the row, its index in the listing (newest first, as `RecordIndex.slice` counts), then the
 * renderer's own arguments.
 */
export function renderedOnce<Rest extends unknown[], Out>(
  render: (row: MockTransactionRecord, ...rest: Rest) => Out,
): (row: MockTransactionRecord, index: number, ...rest: Rest) => Out {
  const rendered = new WeakMap<MockTransactionRecord, Out>();
  return (row, index, ...rest) => {
    if (index >= RENDERED_HEAD_ROWS) return render(row, ...rest);
    let out = rendered.get(row);
    if (out === undefined) {
      out = render(row, ...rest);
      rendered.set(row, out);
    }
    return out;
  };
}
