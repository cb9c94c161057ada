/**
 * Wells Fargo's transaction search. `POST /v2/transactions/search` takes first pages for many
 * accounts (`account_ids` + date range + `page_size`) and/or continuations (`page_tokens`) in one
 * body; each result block links its next page as `_links.next.href`, a GET of the same route
 * with an opaque `page_token`. Tokens are keyset positions (date and ID of the last row served),
 * so a page never shifts when new transactions arrive.
 */
import type { Request, Response, Router } from "express";
import { z } from "zod";
import type { MockBankContext } from "../bank.js";
import type { RecordIndex, RowSpan } from "../data/record-index.js";
import { ownedAccounts } from "./routes.js";
import { sendWfError } from "./wf-errors.js";
import { renderTransaction } from "./wf-render.js";
import { renderedOnce } from "../data/rendered-rows.js";

const SEARCH = "/v2/transactions/search";
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 500;
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d));
const pageSize = z
  .number()
  .int()
  .positive()
  .transform((n) => Math.min(n, MAX_PAGE_SIZE));

const searchBody = z
  .object({
    account_ids: z.array(z.string()).max(500).optional(),
    start_date: day.optional(),
    end_date: day.optional(),
    page_size: pageSize.optional(),
    page_tokens: z.array(z.string()).max(500).optional(),
  })
  .refine((b) => (b.account_ids?.length ?? 0) + (b.page_tokens?.length ?? 0) > 0, "account_ids or page_tokens is required")
  .refine((b) => !b.start_date || !b.end_date || b.start_date <= b.end_date, "start_date is after end_date");

/** Where a listing stands: account, range, page size and the last row served (absent on a first page). */
const position = z.object({
  a: z.string(),
  s: day.optional(),
  e: day.optional(),
  n: pageSize,
  t: z.number().int().optional(),
  i: z.string().optional(),
});
type Position = z.infer<typeof position>;

const encodeToken = (p: Position) => Buffer.from(JSON.stringify(p)).toString("base64url");

function decodeToken(token: string): Position | undefined {
  try {
    const parsed = position.safeParse(JSON.parse(Buffer.from(token, "base64url").toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const href = (p: Position) => `${SEARCH}?page_token=${encodeToken(p)}`;

/** Index of the first row after the position in the bank's order (date desc, then ID desc), within the span. */
function startOf(listing: RecordIndex, span: RowSpan, p: Position): number {
  if (p.t === undefined || p.i === undefined) return span.start;
  return listing.firstAfter({ time: p.t, id: p.i }, span.start, span.end);
}

/** Puts `POST` and `GET /v2/transactions/search` on the router. */
export function mountTransactionRoutes(router: Router, bank: MockBankContext, options: { listsSupersededPending: boolean }): void {
  /** Each row rendered once, whichever page shows it again (../data/rendered-rows.ts). */
  const listedRow = renderedOnce(renderTransaction);
  /** One result block, or null when the account is not the caller's (left out, never served). */
  function block(req: Request, p: Position, echoToken?: string) {
    const [account] = ownedAccounts(bank, req, [p.a]);
    if (!account) return null;
    const listing = bank.data.listing(account.id, options.listsSupersededPending);
    const span = listing.span(p.s ? new Date(`${p.s}T00:00:00.000Z`) : undefined, p.e ? new Date(`${p.e}T23:59:59.999Z`) : undefined);
    const start = startOf(listing, span, p);
    const page = listing.slice(start, Math.min(span.end, start + p.n));
    const last = page[page.length - 1];
    const next = span.end - start > p.n && last ? { ...p, t: last.date.getTime(), i: last.id } : undefined;
    return {
      account_id: account.id,
      ...(echoToken ? { page_token: echoToken } : {}),
      transactions: page.map((r, i) => listedRow(r, start + i, account.currency)),
      _links: { self: { href: href(p) }, ...(next ? { next: { href: href(next) } } : {}) },
    };
  }

  function answer(req: Request, res: Response, firsts: Position[], tokens: string[], size: number | undefined): void {
    const continued: Array<[Position, string]> = [];
    for (const token of tokens) {
      const p = decodeToken(token);
      if (!p) return sendWfError(res, 400, "INVALID_PAGE_TOKEN", "page_token is not one this API issued");
      continued.push([size ? { ...p, n: size } : p, token]);
    }
    const results = [...firsts.map((p) => block(req, p)), ...continued.map(([p, token]) => block(req, p, token))];
    res.json({ results: results.filter((b) => b !== null), _links: { self: { href: SEARCH } } });
  }

  router.post(SEARCH, bank.guard("transactions"), (req, res) => {
    const body = searchBody.safeParse(req.body);
    if (!body.success) return sendWfError(res, 400, "INVALID_REQUEST", body.error.issues[0]?.message ?? "invalid search");
    const { account_ids: ids = [], start_date: s, end_date: e, page_size: size, page_tokens: tokens = [] } = body.data;
    const firsts = [...new Set(ids)].map((a): Position => ({ a, s, e, n: size ?? DEFAULT_PAGE_SIZE }));
    answer(req, res, firsts, tokens, size);
  });

  // Where `_links.next.href` points: one continuation by GET.
  router.get(SEARCH, bank.guard("transactions"), (req, res) => {
    const token = typeof req.query.page_token === "string" ? req.query.page_token : undefined;
    const size = req.query.page_size === undefined ? undefined : pageSize.safeParse(Number(req.query.page_size));
    if (!token) return sendWfError(res, 400, "INVALID_REQUEST", "page_token is required");
    if (size && !size.success) return sendWfError(res, 400, "INVALID_REQUEST", "page_size must be a positive integer");
    answer(req, res, [], [token], size?.data);
  });
}
