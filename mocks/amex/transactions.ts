/**
 * Amex financial transactions for many cards in one call:
 * `POST /servicing/v1/financials/transactions` with `{ cards: [{ account_token, next_token? }],
 * start_date, end_date, limit }`. Paging is keyset-based: `next_token` is an opaque token that
 * carries the card, the date range and the last row served, so a continuation ignores the
 * body's range and never skips or repeats a row when new ones arrive.
 */
import type { Router } from "express";
import type { MockBankContext } from "../bank.js";
import type { MockTransactionRecord } from "../data/types.js";
import { amexAmount, amexDate, amexTime, parseAmexDate, sendAmexError } from "./format.js";
import { renderedOnce } from "../data/rendered-rows.js";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const DAY = 86_400_000;

/** What a next_token stands for. */
interface Position {
  account: string;
  /** Range bounds in epoch ms, inclusive; null = open. */
  from: number | null;
  to: number | null;
  /** The last row served: its filing time and ID (rows sort by time, then ID, descending). */
  afterTime: number;
  afterId: string;
}

function encodeToken(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

function decodeToken(token: string): Position | undefined {
  try {
    const p = JSON.parse(Buffer.from(token, "base64url").toString()) as Position;
    return typeof p.account === "string" && typeof p.afterTime === "number" && typeof p.afterId === "string" ? p : undefined;
  } catch {
    return undefined;
  }
}

/** One transaction row (also the details of a charge webhook). */
export function renderTransaction(record: MockTransactionRecord) {
  const posted = record.status === "posted";
  return {
    transaction_id: record.id,
    status: record.status,
    type: record.amountMinor < 0 ? "DEBIT" : "CREDIT",
    amount: amexAmount(record.amountMinor),
    charge_date: amexDate(record.authorizedAt),
    charge_time: amexTime(record.authorizedAt),
    post_date: posted && record.postedAt ? amexDate(record.postedAt) : null,
    description: record.description,
    merchant: record.merchant ? { name: record.merchant.name, mcc: record.merchant.mcc } : null,
    category: record.category,
    // The posted charge names the authorization it settled.
    authorization_id: posted ? record.pendingId : null,
    receipt_id: record.receiptId,
  };
}

interface CardRequest {
  account_token: string;
  next_token?: string;
}

function isCardRequest(value: unknown): value is CardRequest {
  const card = value as Partial<CardRequest> | null;
  return typeof card?.account_token === "string" && (card.next_token === undefined || typeof card.next_token === "string");
}

export function mountTransactions(router: Router, bank: MockBankContext, includeSupersededPending: boolean): void {
  /** Each row rendered once, whichever page shows it again (../data/rendered-rows.ts). */
  const listedRow = renderedOnce(renderTransaction);
  router.post("/servicing/v1/financials/transactions", bank.guard("transactions"), (req, res) => {
    const customer = bank.customerOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const cards = body.cards;
    if (!Array.isArray(cards) || cards.length === 0 || !cards.every(isCardRequest)) {
      return sendAmexError(res, 400, "INVALID_REQUEST", "cards must be a non-empty array of { account_token, next_token? }");
    }
    const start = body.start_date === undefined ? null : parseAmexDate(body.start_date);
    const end = body.end_date === undefined ? null : parseAmexDate(body.end_date);
    if (start === undefined || end === undefined) return sendAmexError(res, 400, "INVALID_DATE", "start_date and end_date must be YYYYMMDD");
    const limit = body.limit === undefined ? DEFAULT_LIMIT : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 1) return sendAmexError(res, 400, "INVALID_REQUEST", "limit must be a positive integer");
    const pageSize = Math.min(limit, MAX_LIMIT);

    const answered: unknown[] = [];
    for (const card of cards) {
      if (!bank.data.accountOf(customer.id, card.account_token)) continue;
      let position: Position = {
        account: card.account_token,
        from: start?.getTime() ?? null,
        // The end date includes its whole UTC day.
        to: end ? end.getTime() + DAY - 1 : null,
        afterTime: Infinity,
        afterId: "",
      };
      if (card.next_token !== undefined) {
        const decoded = decodeToken(card.next_token);
        if (!decoded || decoded.account !== card.account_token) return sendAmexError(res, 400, "INVALID_NEXT_TOKEN", "next_token is not valid for this card");
        position = decoded;
      }
      const listing = bank.data.listing(card.account_token, includeSupersededPending);
      const span = listing.span(position.from === null ? undefined : new Date(position.from), position.to === null ? undefined : new Date(position.to));
      const startAt = card.next_token === undefined ? span.start : listing.firstAfter({ time: position.afterTime, id: position.afterId }, span.start, span.end);
      const rows = listing.slice(startAt, Math.min(span.end, startAt + pageSize));
      const last = rows[rows.length - 1];
      const more = startAt + pageSize < span.end;
      answered.push({
        account_token: card.account_token,
        transactions: rows.map((r, i) => listedRow(r, startAt + i)),
        next_token: more && last ? encodeToken({ ...position, afterTime: last.date.getTime(), afterId: last.id }) : null,
      });
    }
    res.json({ cards: answered });
  });
}
