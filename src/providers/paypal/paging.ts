/**
 * How the adapter pages PayPal's Transaction Search: by page number, within a fixed date range
 * and page size. Our cursor carries all three, because a page number means nothing under a
 * different range or size. Requests that share range and size go into one call, each account
 * at its own page (`pages=a:3,b:2`). Page numbers are row indexes in disguise, which shift when
 * rows arrive or go: pages report the index range they covered (`TransactionPage.rows`) and a
 * request may name a row index (`offset`) for the gateway to re-anchor on.
 */
import { badInput } from "../../errors.js";
import type { TransactionPageRequest } from "../contract.js";
import { pageCovering } from "../page-numbers.js";
import { toPaypalTime } from "./translate.js";

/** PayPal's documented maximum page size. */
export const MAX_PAGE_SIZE = 500;

/** Where one account's listing stands: PayPal's page number under a given range and size. */
export interface PagePosition {
  page: number;
  pageSize: number;
  startDate: string | null;
  endDate: string | null;
}

const PREFIX = "pp1.";

export function encodeCursor(position: PagePosition): string {
  return PREFIX + Buffer.from(JSON.stringify(position)).toString("base64url");
}

function decodeCursor(cursor: string): PagePosition {
  try {
    if (!cursor.startsWith(PREFIX)) throw new Error("foreign cursor");
    const p = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), "base64url").toString()) as PagePosition;
    const okDate = (d: unknown) => d === null || typeof d === "string";
    if (Number.isInteger(p.page) && p.page > 0 && Number.isInteger(p.pageSize) && p.pageSize > 0 && okDate(p.startDate) && okDate(p.endDate)) return p;
  } catch {
    // fall through: a cursor we did not write
  }
  throw badInput("Invalid transactions cursor");
}

/** The position a request starts from: its row index's page, its cursor's, or page 1 of its own range. */
export function positionOf(request: TransactionPageRequest): PagePosition {
  if (request.offset === undefined && request.cursor) return decodeCursor(request.cursor);
  const { page, pageSize } = pageCovering(request.offset ?? 0, Math.min(Math.max(1, Math.floor(request.limit)), MAX_PAGE_SIZE), MAX_PAGE_SIZE);
  return {
    page,
    pageSize,
    startDate: request.from ? toPaypalTime(request.from, false) : null,
    endDate: request.to ? toPaypalTime(request.to, true) : null,
  };
}

/** One Transaction Search call: a shared range and size, one page per account. */
export interface SearchCall {
  pageSize: number;
  startDate: string | null;
  endDate: string | null;
  /** Account ID → page wanted, and the index of the request it answers. */
  pages: Map<string, { page: number; index: number }>;
}

/**
 * Groups requests into as few calls as PayPal allows: one per distinct range and size, plus
 * one more whenever the same account is asked for twice (a call pages each account once).
 */
export function planSearchCalls(requests: readonly TransactionPageRequest[]): SearchCall[] {
  const calls: SearchCall[] = [];
  requests.forEach((request, index) => {
    const position = positionOf(request);
    let call = calls.find(
      (c) => c.pageSize === position.pageSize && c.startDate === position.startDate && c.endDate === position.endDate && !c.pages.has(request.accountId),
    );
    if (!call) {
      call = { pageSize: position.pageSize, startDate: position.startDate, endDate: position.endDate, pages: new Map() };
      calls.push(call);
    }
    call.pages.set(request.accountId, { page: position.page, index });
  });
  return calls;
}

/** The Transaction Search query for a call: `page` defaults to 1, `pages` names the rest. */
export function searchQuery(call: SearchCall): Record<string, string> {
  const later = [...call.pages].filter(([, p]) => p.page > 1).map(([id, p]) => `${id}:${p.page}`);
  return {
    account_ids: [...call.pages.keys()].join(","),
    page_size: String(call.pageSize),
    ...(call.startDate ? { start_date: call.startDate } : {}),
    ...(call.endDate ? { end_date: call.endDate } : {}),
    ...(later.length > 0 ? { pages: later.join(",") } : {}),
  };
}
