/**
 * PayPal Transaction Search (`GET /v1/reporting/transactions`), widened to many accounts per
 * call: `account_ids=a,b` answers one `accounts[]` entry per owned account, each paged by
 * number. `page` applies to every account; `pages=a:3,b:2` overrides it per account, so first
 * pages and continuations travel in one call.
 */
import type { Request, Response, Router } from "express";
import type { MockBankContext } from "../bank.js";
import type { MockCustomer, MockTransactionRecord } from "../data/types.js";
import { listParam, parsePaypalTime, paypalMoney, paypalTime, sendInvalidRequest } from "./format.js";
import { renderedOnce } from "../data/rendered-rows.js";

/** Page size when the caller does not say; PayPal's documented maximum is 500. */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 500;

/** PayPal event codes: T0006 checkout payment, T0000 payment received, T03xx funding, T04xx withdrawal. */
function eventCode(record: MockTransactionRecord): string {
  if (record.merchant) return "T0006";
  if (record.category === "INCOME") return "T0000";
  return record.amountMinor > 0 ? "T0300" : "T0400";
}

/** One Transaction Search row (also the body of a transaction webhook). */
export function renderTransaction(bank: Pick<MockBankContext, "data">, customer: MockCustomer, record: MockTransactionRecord) {
  const receipt = record.receiptId ? bank.data.receipt(record.receiptId) : undefined;
  const posted = record.status === "posted";
  return {
    transaction_info: {
      paypal_account_id: record.accountId,
      transaction_id: record.id,
      ...(posted && record.pendingId ? { paypal_reference_id: record.pendingId, paypal_reference_id_type: "TXN" } : {}),
      transaction_event_code: eventCode(record),
      transaction_initiation_date: paypalTime(record.authorizedAt),
      // Settling a payment is its last update, so a completed row is filed under its posting time.
      transaction_updated_date: paypalTime(record.date),
      transaction_amount: paypalMoney(record.amountMinor, "USD"),
      transaction_status: posted ? "S" : "P",
      transaction_subject: record.description,
      ...(record.receiptId ? { invoice_id: record.receiptId } : {}),
    },
    // The holder is the payer only of money going out.
    ...(record.amountMinor < 0
      ? { payer_info: { account_id: customer.id.toUpperCase(), email_address: customer.email, payer_name: { alternate_full_name: customer.name } } }
      : {}),
    ...(record.merchant
      ? { payee_info: { business_name: record.merchant.name, merchant_category_code: record.merchant.mcc, business_category: record.merchant.category } }
      : {}),
    cart_info: receipt
      ? {
          item_details: receipt.items.map((item) => ({
            item_code: item.sku,
            item_name: item.description,
            item_quantity: String(item.quantity),
            item_unit_price: paypalMoney(item.unitPriceMinor, "USD"),
            item_amount: paypalMoney(item.unitPriceMinor * item.quantity, "USD"),
          })),
        }
      : {},
    store_info: {},
  };
}

interface SearchParams {
  startDate?: string;
  endDate?: string;
  from?: Date;
  to?: Date;
  pageSize: number;
  page: number;
  pages: Map<string, number>;
}

/** Parses and validates the query; answers 400 itself and returns undefined on a bad one. */
function parseSearch(req: Request, res: Response): SearchParams | undefined {
  const startDate = typeof req.query.start_date === "string" ? req.query.start_date : undefined;
  const endDate = typeof req.query.end_date === "string" ? req.query.end_date : undefined;
  const from = startDate === undefined ? undefined : parsePaypalTime(startDate);
  const end = endDate === undefined ? undefined : parsePaypalTime(endDate);
  if (startDate !== undefined && !from)
    return void sendInvalidRequest(res, req, "start_date", "INVALID_PARAMETER_SYNTAX", "start_date must be ISO 8601, e.g. 2026-03-01T00:00:00+0000");
  if (endDate !== undefined && !end)
    return void sendInvalidRequest(res, req, "end_date", "INVALID_PARAMETER_SYNTAX", "end_date must be ISO 8601, e.g. 2026-03-31T23:59:59+0000");
  const pageSize = Number(req.query.page_size ?? DEFAULT_PAGE_SIZE);
  const page = Number(req.query.page ?? 1);
  if (!Number.isInteger(pageSize) || pageSize < 1)
    return void sendInvalidRequest(res, req, "page_size", "INVALID_PARAMETER_VALUE", "page_size must be an integer from 1 to 500");
  if (!Number.isInteger(page) || page < 1) return void sendInvalidRequest(res, req, "page", "INVALID_PARAMETER_VALUE", "page must be a positive integer");
  const pages = new Map<string, number>();
  for (const entry of listParam(req.query.pages)) {
    const colon = entry.lastIndexOf(":");
    const n = Number(entry.slice(colon + 1));
    if (colon < 1 || !Number.isInteger(n) || n < 1)
      return void sendInvalidRequest(res, req, "pages", "INVALID_PARAMETER_VALUE", "pages must be account_id:page pairs, e.g. A1:3,B2:2");
    pages.set(entry.slice(0, colon), n);
  }
  // end_date has second precision; it includes the whole of its last second.
  const to = end ? new Date(end.getTime() + 999) : undefined;
  return { startDate, endDate, from, to, pageSize: Math.min(pageSize, MAX_PAGE_SIZE), page, pages };
}

export function mountTransactionSearch(router: Router, bank: MockBankContext, includeSupersededPending: boolean): void {
  /** Each row rendered once, whichever page shows it again (../data/rendered-rows.ts). */
  const listedRow = renderedOnce((record, bank: Pick<MockBankContext, "data">, customer: MockCustomer) => renderTransaction(bank, customer, record));
  router.get("/v1/reporting/transactions", bank.guard("transactions"), (req, res) => {
    const customer = bank.customerOf(req);
    const accountIds = listParam(req.query.account_ids);
    if (accountIds.length === 0) return sendInvalidRequest(res, req, "account_ids", "MISSING_REQUIRED_PARAMETER", "account_ids is required");
    const search = parseSearch(req, res);
    if (!search) return;
    const base = `${req.protocol}://${req.get("host")}${req.path}`;
    const accounts = accountIds
      .filter((id, index) => accountIds.indexOf(id) === index && bank.data.accountOf(customer.id, id))
      .map((accountId) => {
        const listing = bank.data.listing(accountId, includeSupersededPending);
        const { start, end } = listing.span(search.from, search.to);
        const total = end - start;
        const page = search.pages.get(accountId) ?? search.page;
        const totalPages = Math.ceil(total / search.pageSize);
        const first = start + (page - 1) * search.pageSize;
        const link = (n: number) => {
          const query = new URLSearchParams({ account_ids: accountId, page_size: String(search.pageSize), page: String(n) });
          if (search.startDate) query.set("start_date", search.startDate);
          if (search.endDate) query.set("end_date", search.endDate);
          return `${base}?${query}`;
        };
        return {
          account_id: accountId,
          transaction_details: listing.slice(first, Math.min(end, first + search.pageSize)).map((record, i) => listedRow(record, first + i, bank, customer)),
          page,
          total_items: total,
          total_pages: totalPages,
          links: [
            { href: link(page), rel: "self", method: "GET" },
            ...(page < totalPages ? [{ href: link(page + 1), rel: "next", method: "GET" }] : []),
            ...(totalPages > 0 ? [{ href: link(totalPages), rel: "last", method: "GET" }] : []),
          ],
        };
      });
    res.json({
      ...(search.startDate ? { start_date: search.startDate } : {}),
      ...(search.endDate ? { end_date: search.endDate } : {}),
      last_refreshed_datetime: paypalTime(bank.data.now()),
      accounts,
    });
  });
}
