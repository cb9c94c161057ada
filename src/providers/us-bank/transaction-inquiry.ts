/**
 * Plans `listTransactions` onto U.S. Bank's multi-account inquiry, and owns the adapter's cursor.
 * U.S. Bank pages by page number within one date range and page size per inquiry, so the cursor
 * keeps all three: a continuation must repeat the exact range and size for page N to mean the
 * same rows. Requests with the same range and size, first pages or not, share one call. Page
 * numbers shift when rows arrive or go, so pages report the row indexes they covered
 * (`TransactionPage.rows`) and a request may name a row index (`offset`) to re-anchor on.
 */
import { z } from "zod";
import { badInput } from "../../errors.js";
import type { TransactionPageRequest } from "../contract.js";
import { pageCovering } from "../page-numbers.js";

/** Where a page sits in U.S. Bank's paging: what the adapter's cursor encodes. */
const PagePosition = z.object({
  page: z.number().int().positive(),
  size: z.number().int().positive(),
  from: z.string().optional(),
  to: z.string().optional(),
});
type PagePosition = z.infer<typeof PagePosition>;

const CURSOR_PREFIX = "usb1.";
/** U.S. Bank's documented largest page. */
const MAX_PAGE_SIZE = 500;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** One upstream `POST /v3/transactions/inquiry`. */
export interface UsBankInquiryCall {
  body: {
    Accounts: { AccountID: string; PageNumber: number }[];
    FromDate?: string;
    ToDate?: string;
    PageSize: number;
  };
  /** For each entry of `body.Accounts`, the index of the request it answers. */
  slots: number[];
}

/** The cursor for the page after `PageNumber`, or null when that was the last page. */
export function nextCursor(position: Omit<PagePosition, "page">, pageNumber: number, totalPages: number): string | null {
  if (pageNumber >= totalPages) return null;
  const next: PagePosition = { ...position, page: pageNumber + 1 };
  return CURSOR_PREFIX + Buffer.from(JSON.stringify(next)).toString("base64url");
}

function decodeCursor(cursor: string): PagePosition {
  if (cursor.startsWith(CURSOR_PREFIX)) {
    try {
      const parsed = PagePosition.safeParse(JSON.parse(Buffer.from(cursor.slice(CURSOR_PREFIX.length), "base64url").toString()));
      if (parsed.success) return parsed.data;
    } catch {
      // falls through to the error below
    }
  }
  throw badInput("Invalid transactions cursor");
}

function positionOf(request: TransactionPageRequest): PagePosition {
  if (request.offset === undefined && request.cursor) return decodeCursor(request.cursor);
  for (const [field, day] of [
    ["from", request.from],
    ["to", request.to],
  ] as const) {
    if (day !== undefined && !ISO_DAY.test(day)) throw badInput(`${field} must be a date as YYYY-MM-DD`);
  }
  const { page, pageSize } = pageCovering(request.offset ?? 0, Math.min(Math.max(1, Math.floor(request.limit)), MAX_PAGE_SIZE), MAX_PAGE_SIZE);
  return { page, size: pageSize, from: request.from, to: request.to };
}

/** Groups requests by date range and page size: one inquiry per group, entries in request order. */
export function planTransactionInquiries(requests: readonly TransactionPageRequest[]): UsBankInquiryCall[] {
  const calls = new Map<string, UsBankInquiryCall>();
  requests.forEach((request, index) => {
    const { page, size, from, to } = positionOf(request);
    const key = JSON.stringify([size, from ?? null, to ?? null]);
    let call = calls.get(key);
    if (!call) {
      call = { body: { Accounts: [], FromDate: from, ToDate: to, PageSize: size }, slots: [] };
      calls.set(key, call);
    }
    call.body.Accounts.push({ AccountID: request.accountId, PageNumber: page });
    call.slots.push(index);
  });
  return [...calls.values()];
}
