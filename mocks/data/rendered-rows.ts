/**
 * A bank's wire rendering of its listing rows, done once per row instead of on every page that
 * shows it (Chase's US-Eastern timestamps alone cost ~20 µs a row). The cache is keyed on the row
 * object itself: a listing never changes a row in place but replaces it with a new one (a posting,
 * a released hold: record-index.ts), so a changed row is rendered afresh and a dropped one is
 * forgotten with it (WeakMap).
 *
 * Whatever else the renderer is given must follow from the row (its account's currency or kind, the
 * account holder), and callers must not change what it returns: the same object goes into every
 * answer that lists the row.
 */
import type { MockTransactionRecord } from "./types.js";

export function renderedOnce<Rest extends unknown[], Out>(
  render: (row: MockTransactionRecord, ...rest: Rest) => Out,
): (row: MockTransactionRecord, ...rest: Rest) => Out {
  const rendered = new WeakMap<MockTransactionRecord, Out>();
  return (row, ...rest) => {
    let out = rendered.get(row);
    if (out === undefined) {
      out = render(row, ...rest);
      rendered.set(row, out);
    }
    return out;
  };
}
