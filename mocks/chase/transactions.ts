/**
 * Chase's multi-account transaction search: `GET /fdx/v6/transactions?accountIds=a,b&startTime=
 * &endTime=&limit=` answers one result block per account, each paged FDX-style by offset
 * (`page.nextOffset`, `links.next.href`). Continuation pages go through the same route with
 * `offsets=a:20,b:40`, so many accounts' next pages are still one call.
 */
import type { Router } from "express";
import type { MockBankContext } from "../bank.js";
import { FDX_ERROR, fdxGuard, sendFdxError } from "./fdx-errors.js";
import { renderTransaction } from "./fdx-render.js";
import { FDX_BASE, pageLimit, queryParam } from "./routes.js";
import { renderedOnce } from "../data/rendered-rows.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD bound as the first or last millisecond of that UTC day; null when absent; undefined when invalid. */
function dayBound(raw: string | undefined, edge: "start" | "end"): Date | null | undefined {
  if (raw === undefined) return null;
  if (!DAY.test(raw)) return undefined;
  const date = new Date(`${raw}T${edge === "start" ? "00:00:00.000" : "23:59:59.999"}Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== raw ? undefined : date;
}

/** `a:20,b:40` → account → offset; undefined when malformed. */
function parseOffsets(raw: string | undefined): Map<string, number> | undefined {
  const offsets = new Map<string, number>();
  for (const pair of raw ? raw.split(",") : []) {
    const colon = pair.lastIndexOf(":");
    const offset = Number(pair.slice(colon + 1));
    if (colon < 1 || !/^\d+$/.test(pair.slice(colon + 1)) || !Number.isSafeInteger(offset)) return undefined;
    offsets.set(pair.slice(0, colon), offset);
  }
  return offsets;
}

/** Puts `GET /fdx/v6/transactions` on the router. */
export function mountTransactionRoutes(router: Router, bank: MockBankContext, options: { listsSupersededPending: boolean }): void {
  /** Each row rendered once, whichever page shows it again (../data/rendered-rows.ts). */
  const listedRow = renderedOnce(renderTransaction);
  router.get(`${FDX_BASE}/transactions`, fdxGuard(bank, "transactions"), (req, res) => {
    const customer = bank.customerOf(req);
    const ids = queryParam(req, "accountIds")?.split(",");
    const startTime = queryParam(req, "startTime");
    const endTime = queryParam(req, "endTime");
    const from = dayBound(startTime, "start");
    const to = dayBound(endTime, "end");
    const limit = pageLimit(queryParam(req, "limit"), 100);
    const offsets = parseOffsets(queryParam(req, "offsets"));
    if (!ids) return sendFdxError(res, FDX_ERROR.invalidParameter, "accountIds is required");
    if (from === undefined || to === undefined || (from && to && from > to)) {
      return sendFdxError(res, FDX_ERROR.invalidDate, "startTime and endTime are YYYY-MM-DD, startTime <= endTime");
    }
    if (limit === undefined || offsets === undefined) {
      return sendFdxError(res, FDX_ERROR.invalidParameter, "limit must be a positive integer; offsets is accountId:offset,...");
    }

    const results = [...new Set(ids)].flatMap((id) => {
      const account = bank.data.accountOf(customer.id, id);
      if (!account) return []; // another customer's or unknown: left out, never served
      const listing = bank.data.listing(id, options.listsSupersededPending);
      const { start, end } = listing.span(from ?? undefined, to ?? undefined);
      const total = end - start;
      const offset = offsets.get(id) ?? 0;
      const nextOffset = offset + limit < total ? String(offset + limit) : undefined;
      const nextQuery = () =>
        new URLSearchParams({
          accountIds: id,
          ...(startTime ? { startTime } : {}),
          ...(endTime ? { endTime } : {}),
          limit: String(limit),
          offsets: `${id}:${nextOffset}`,
        });
      return [
        {
          accountId: id,
          currency: { currencyCode: account.currency },
          page: { ...(nextOffset ? { nextOffset } : {}), totalElements: total },
          ...(nextOffset ? { links: { next: { href: `${FDX_BASE}/transactions?${nextQuery()}` } } } : {}),
          transactions: listing.slice(start + offset, Math.min(end, start + offset + limit)).map((r, i) => listedRow(r, start + offset + i, account.kind)),
        },
      ];
    });
    res.json({ results });
  });
}
