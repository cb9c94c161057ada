/**
 * `POST /api/v1/accounts/transactions/query`: transactions of many accounts in one call. Each
 * account entry is either a first page (the body's fromDate/toDate apply) or a continuation
 * (its cursor carries its own range and position), so both kinds share one call.
 *
 * The cursor is keyset-based, not an offset: it names the last row served (date and ID), so a
 * purchase arriving between pages never shifts the next page.
 */
import { randomUUID } from "node:crypto";
import type { Router } from "express";
import { z } from "zod";
import type { MockBankContext } from "../bank.js";
import type { MockAccount } from "../data/types.js";
import { citiError } from "./errors.js";
import { renderTransaction } from "./render.js";
import { renderedOnce } from "../data/rendered-rows.js";

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

const yyyymmdd = z
  .string()
  .regex(/^\d{8}$/)
  .refine(isCalendarDay, "not a calendar date");

const TransactionQuery = z.object({
  accounts: z.array(z.object({ accountId: z.string().min(1), cursor: z.string().min(1).nullish() })).min(1),
  fromDate: yyyymmdd.optional(),
  toDate: yyyymmdd.optional(),
  pageSize: z.number().int().positive().default(DEFAULT_PAGE_SIZE),
});

/** What a Citi cursor holds (base64url of this JSON). */
const CursorState = z.object({
  accountId: z.string(),
  fromDate: yyyymmdd.nullable(),
  toDate: yyyymmdd.nullable(),
  /** Date (epoch ms) and ID of the last row already served. */
  lastDate: z.number().int(),
  lastId: z.string(),
});
type CursorState = z.infer<typeof CursorState>;

/** Mounts the multi-account transactions query under `base`. */
export function mountTransactionQuery(router: Router, bank: MockBankContext, base: string, includeSupersededPending: boolean): void {
  /** Each row rendered once, whichever page shows it again (../data/rendered-rows.ts). */
  const listedRow = renderedOnce(renderTransaction);
  router.post(`${base}/accounts/transactions/query`, bank.guard("transactions"), (req, res) => {
    const parsed = TransactionQuery.safeParse(req.body);
    if (!parsed.success) return citiError(res, 400, "Bad Request", "Body must be { accounts: [{ accountId, cursor? }], fromDate?, toDate?, pageSize? }.");
    const query = parsed.data;
    if (query.fromDate && query.toDate && query.fromDate > query.toDate) {
      return citiError(res, 400, "Bad Request", "fromDate must not be after toDate.");
    }
    const customer = bank.customerOf(req);
    const pageSize = Math.min(query.pageSize, MAX_PAGE_SIZE);
    const accountTransactions = [];
    for (const entry of query.accounts) {
      const account = bank.data.accountOf(customer.id, entry.accountId);
      if (!account) continue; // unknown or someone else's: omitted, never served
      const position = entry.cursor ? decodeCursor(entry.cursor) : undefined;
      if (position === null || (position && position.accountId !== account.id)) {
        return citiError(res, 400, "Bad Request", `Invalid cursor for account ${entry.accountId}.`);
      }
      const state = position ?? { accountId: account.id, fromDate: query.fromDate ?? null, toDate: query.toDate ?? null };
      const { page, start, nextCursor } = pageOf(bank, account, state, pageSize, includeSupersededPending);
      accountTransactions.push({ accountId: account.id, transactions: page.map((r, i) => listedRow(r, start + i, account.currency)), nextCursor });
    }
    res.json({ data: { accountTransactions }, meta: { requestId: randomUUID(), pageSize } });
  });
}

/** One account's rows from `state` on, a page of them, and the cursor of the page after. */
function pageOf(
  bank: MockBankContext,
  account: MockAccount,
  state: Omit<CursorState, "lastDate" | "lastId"> & Partial<CursorState>,
  pageSize: number,
  includeSupersededPending: boolean,
) {
  const listing = bank.data.listing(account.id, includeSupersededPending);
  const span = listing.span(
    state.fromDate ? new Date(`${isoDay(state.fromDate)}T00:00:00.000Z`) : undefined,
    state.toDate ? new Date(`${isoDay(state.toDate)}T23:59:59.999Z`) : undefined,
  );
  const { lastDate, lastId } = state;
  // Rows are newest first, then ID descending; the next page starts at the first row after the last one served.
  const start = lastDate !== undefined && lastId !== undefined ? listing.firstAfter({ time: lastDate, id: lastId }, span.start, span.end) : span.start;
  const page = listing.slice(start, Math.min(span.end, start + pageSize));
  const last = page.at(-1);
  const nextCursor =
    last && start + pageSize < span.end
      ? encodeCursor({ accountId: account.id, fromDate: state.fromDate, toDate: state.toDate, lastDate: last.date.getTime(), lastId: last.id })
      : null;
  return { page, start, nextCursor };
}

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

/** The cursor's state, or null when it is not a cursor this bank issued. */
function decodeCursor(cursor: string): CursorState | null {
  try {
    const parsed = CursorState.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function isCalendarDay(yyyymmdd: string): boolean {
  const day = new Date(`${isoDay(yyyymmdd)}T00:00:00.000Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === isoDay(yyyymmdd);
}

function isoDay(yyyymmdd: string): string {
  return `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
}
