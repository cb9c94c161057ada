/**
 * Reaching a row index at banks that page by page number. Such a bank's page N means rows
 * [(N-1)·size, N·size) of the listing as it stands, so the gateway, which re-anchors on row
 * indexes (see `TransactionPage.rows`), needs a page number and size that cover the rows it wants.
 */

/**
 * A page number and size whose page holds rows [offset, offset + limit): the smallest size (up
 * to 4 × limit) that puts a page boundary at or before `offset` with room for `limit` rows after
 * it. Falls back to the page of size `limit` that holds `offset` (the caller reads on from the
 * page after).
 */
export function pageCovering(offset: number, limit: number, maxSize: number): { page: number; pageSize: number } {
  const start = Math.max(0, Math.floor(offset));
  for (let size = limit; size <= Math.min(maxSize, 4 * limit); size++) {
    if (size - (start % size) >= limit) return { page: Math.floor(start / size) + 1, pageSize: size };
  }
  return { page: Math.floor(start / limit) + 1, pageSize: limit };
}
